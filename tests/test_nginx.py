"""The nginx site of deploy/ in front of 2 waitress processes on one data folder, as a province runs it."""
import gzip
import http.client
import re
import shutil
import subprocess
import time
import urllib.parse

import pytest

from redpinar.store.site import load_site, save_site
from tests.conftest import make_app
from tests.language import english
from tests.nginx_config import NGINX, configuration_for_test, nginx_command, site_for
from tests.test_participation_server import LOAD_SETTINGS, Storm, stored_codes
from tests.test_server import end_process, free_port, start_server, stop, wait_until_serving

pytestmark = [pytest.mark.slow, pytest.mark.skipif(NGINX is None, reason="nginx is not installed (make test installs it)")]
STORM_RECEIPTS = 200
BEHIND_NGINX = dict(LOAD_SETTINGS, REDPINAR_TRUSTED_PROXIES="127.0.0.1")


@pytest.fixture
def nginx_in_front(tmp_path, data_dir):
    """nginx on a free port before 2 `python app.py` on data_dir; yields (nginx port, [(process, port)])."""
    make_app(data_dir)
    servers = [start_server(data_dir, **BEHIND_NGINX) for _ in range(2)]
    folder = tmp_path / "nginx"
    folder.mkdir()
    port = free_port()
    config = configuration_for_test(folder, port, [server_port for _, server_port in servers])
    nginx = subprocess.Popen(nginx_command(config), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for process, server_port in servers:
            wait_until_serving(process, server_port)
        wait_until_serving(nginx, port)
        yield port, servers
    finally:
        end_process(nginx)
        for process, _ in servers:
            if process.poll() is None:
                stop(process)


def fetch(port, path, method="GET", body=None, headers=None):
    """(status, response, body text) of one request."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = dict(headers or {})
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    content = response.read().decode("utf-8", errors="replace")
    connection.close()
    return response.status, response, content


def test_a_storm_of_messages_through_nginx_loses_nothing_and_never_repeats_a_code(nginx_in_front, data_dir, tmp_path):
    port, servers = nginx_in_front
    storm = Storm(port, 8).start().until(STORM_RECEIPTS)
    storm.stop()
    assert storm.errors == []
    acknowledged = storm.acknowledged()
    assert len(acknowledged) >= STORM_RECEIPTS
    assert len(set(acknowledged)) == len(acknowledged)
    on_disk = stored_codes(data_dir)
    assert len(on_disk) == len(set(on_disk))
    assert set(on_disk) == set(acknowledged)
    posts = [line for line in (tmp_path / "nginx" / "access.log").read_text().splitlines()
             if line.startswith("POST /participa/ 303")]
    for _, server_port in servers:  # both processes took messages
        assert any(line.endswith(f"127.0.0.1:{server_port}") for line in posts)
    print(f"\n{len(acknowledged)} messages through nginx to 2 processes, all stored once")


def _home_shows(port, text):
    return text in fetch(port, "/")[2]


def test_an_edit_shows_on_pages_served_by_the_other_process_within_a_second(nginx_in_front, data_dir):
    _, [(_, first), (_, second)] = nginx_in_front
    assert fetch(second, "/")[0] == 200 and fetch(second, "/")[0] == 200  # kept by the second process now
    app = make_app(data_dir, province=None)
    with app.app_context():
        site = load_site()
        tagline = "Lema cambiado por la prueba de nginx"
        site["tagline"] = dict(site["tagline"], es=tagline) if isinstance(site["tagline"], dict) else tagline
        save_site(site)
    edited = time.monotonic()
    while not _home_shows(second, tagline):
        assert time.monotonic() - edited < 1, "the second process still shows the old page after a second"
        time.sleep(0.02)
    print(f"\nthe edit showed on the other process after {time.monotonic() - edited:.3f} s")
    assert _home_shows(first, tagline)


def test_with_both_processes_stopped_nginx_serves_kept_pages_and_says_a_form_is_not_lost(nginx_in_front):
    port, servers = nginx_in_front
    status, response, page = fetch(port, "/")
    assert status == 200 and "public" in response.getheader("Cache-Control")
    assert fetch(port, "/")[1].getheader("X-Cache") == "HIT"
    form = fetch(port, "/participa/")
    assert form[0] == 200 and form[1].getheader("X-Cache") in (None, "", "MISS", "BYPASS")
    assert fetch(port, "/", headers={"Cookie": "session=someone"})[1].getheader("X-Cache") == "BYPASS"
    for process, _ in servers:
        stop(process)

    # Static files come from disk, with a long lifetime for fingerprinted addresses.
    status, response, _ = fetch(port, "/static/css/site.css?v=1")
    assert status == 200 and "immutable" in response.getheader("Cache-Control")
    assert fetch(port, "/", headers={"Cookie": "session=someone"})[0] == 503

    status, response, stale = fetch(port, "/")
    assert status == 200 and stale == page
    assert response.getheader("X-Cache") in ("HIT", "STALE", "UPDATING")

    status, response, unavailable = fetch(port, "/participa/", "POST", urllib.parse.urlencode({"asunto": "Hola"}))
    assert status == 503
    assert "Su texto no se ha perdido" in unavailable and "Your text is not lost" in unavailable
    assert "no-store" in response.getheader("Cache-Control")
    assert "http" not in unavailable.replace("http-equiv", "")  # no outside resources: it must show with nothing else up

    # A form never came from the cache: with the portal down it is the unavailable page, not someone's token.
    status, _, page = fetch(port, "/participa/")
    assert status == 503 and "Your text is not lost" in page


def fetch_bytes(port, path, headers=None):
    """(X-Cache, Content-Encoding, body bytes as sent) of one GET."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    assert response.status == 200, (path, response.status)
    return response.getheader("X-Cache"), response.getheader("Content-Encoding"), body


def same_page(one, other):
    """The same page from either process (each names its own port in absolute links, no public address being set)."""
    return re.sub(rb"127\.0\.0\.1:\d+", b"", one) == re.sub(rb"127\.0\.0\.1:\d+", b"", other)


def test_the_cache_keeps_one_copy_per_address_and_gzip_and_never_sends_gzip_unasked(nginx_in_front):
    port, _servers = nginx_in_front
    plain = {"Accept-Encoding": "identity"}
    fetch_bytes(port, "/", plain)
    cache, encoding, body = fetch_bytes(port, "/", plain)
    assert cache == "HIT" and encoding is None and body.startswith(b"<!doctype html>")
    fetch_bytes(port, "/", {"Accept-Encoding": "gzip"})
    cache, encoding, zipped = fetch_bytes(port, "/", {"Accept-Encoding": "gzip"})
    assert cache == "HIT" and encoding == "gzip" and same_page(gzip.decompress(zipped), body)
    # Another way of asking for gzip, or of refusing it, is the same cache entry: a hit at once.
    for headers, wanted in (({"Accept-Encoding": "gzip, deflate, br"}, "gzip"), ({"Accept-Encoding": "br"}, None),
                            ({}, None), ({"Accept-Encoding": "gzip;q=0, identity"}, None),
                            ({"Accept-Encoding": "x-gzip"}, None), ({"Accept-Encoding": "GZIP;q=0.5"}, "gzip")):
        cache, encoding, sent = fetch_bytes(port, "/", headers)
        assert cache == "HIT" and encoding == wanted, headers
        assert sent == (zipped if wanted else body), headers
    # The address alone decides the language, whatever Accept-Language says.
    assert b'lang="es"' in fetch_bytes(port, "/", {"Accept-Language": "en", **plain})[2]
    fetch_bytes(port, english("/"), {"Accept-Language": "es", **plain})
    cache, _encoding, english_page = fetch_bytes(port, english("/"), {"Accept-Language": "es", **plain})
    assert cache == "HIT" and b'lang="en"' in english_page
    assert b'lang="es"' in fetch_bytes(port, "/", {"Accept-Language": "en", **plain})[2]


def test_nginx_refuses_a_body_over_the_portals_limit_before_the_portal_sees_it(nginx_in_front):
    port, _ = nginx_in_front
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.putrequest("POST", "/participa/")
    connection.putheader("Content-Type", "application/x-www-form-urlencoded")
    connection.putheader("Content-Length", str(9 * 1024 * 1024))
    connection.endheaders()
    assert connection.getresponse().status == 413


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl makes the test's certificate")
def test_the_site_with_tls_passes_nginx_own_check(tmp_path):
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", str(key), "-out", str(certificate)], check=True, capture_output=True)
    site = site_for({"certificate": f"ssl_certificate {certificate};", "certificate_key": f"ssl_certificate_key {key};",
                     "cache_path": f"proxy_cache_path {tmp_path}/cache keys_zone=redpinar:5m;"}, keep_tls=True)
    (tmp_path / "redpinar.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nevents {{}}\nhttp {{\n include /etc/nginx/mime.types;\n"
        f" include {tmp_path}/redpinar.conf;\n}}\n")
    check = subprocess.run([NGINX, "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path),
                            "-e", str(tmp_path / "error.log")], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert "return 301 https://$server_name$request_uri;" in site and "listen 443 ssl http2;" in site
