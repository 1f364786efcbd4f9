"""The static mirror served by a real nginx: every link works, every page reads as the live one."""
import html
import os
import re
import subprocess
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest

from tests.conftest import PROJECT_ROOT, make_app
from tests.site_copy_helpers import export, headings, links_of, main_links, main_text
from tests.test_nginx import NGINX, fetch
from tests.test_server import end_process, free_port, wait_until_serving

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(NGINX is None, reason="nginx is not installed (make test installs it)")]
# Pages of a copy that differ from the live page by design: the copy's list is whole where the live one is
# paginated or cut short; the form pages say where to send the form instead.
WHOLE_LISTS = re.compile(r"^/(?:[a-z]{2}/)?(?:noticias/|eventos/|temas/[^/]+/|citas/)$")
# An office's page holds its free times and the booking's first step live; in a copy, where and when to go.
FORM_PAGES = re.compile(r"^/(?:[a-z]{2}/)?(?:participa/|participa/borrador/|seguimiento/|citas/[^/]+/)$")


def nginx_serving(folder, root):
    """Write an nginx.conf serving root read-only on a free port, and on another port as the fallback origin
    of a portal that does not answer, as README shows; (config path, port, fallback port)."""
    port, fallback_port, dead_port = free_port(), free_port(), free_port()
    temp_paths = "\n".join(f"    {kind}_temp_path {folder}/{kind}_temp;"
                           for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    workers = "user root;\n" if os.geteuid() == 0 else ""
    config = os.path.join(folder, "nginx.conf")
    with open(config, "w", encoding="utf-8") as handle:
        handle.write(workers + f"""daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    types {{ text/calendar ics; text/csv csv; }}
    access_log off;
{temp_paths}
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location / {{ try_files $uri $uri/index.html =404; }}
    }}
    server {{
        listen 127.0.0.1:{fallback_port};
        root {PROJECT_ROOT};
        error_page 502 503 504 =503 /deploy/nginx/unavailable.html;
        location = /deploy/nginx/unavailable.html {{ internal; }}
        location / {{
            proxy_pass http://127.0.0.1:{dead_port};
            recursive_error_pages on;
            error_page 502 503 504 = @mirror;
        }}
        location @mirror {{
            root {root};
            try_files $uri $uri/index.html =503;
            add_header Cache-Control "no-store" always;
            error_page 405 503 =503 /deploy/nginx/unavailable.html;
        }}
    }}
}}
""")
    return config, port, fallback_port


@pytest.fixture(scope="module")
def mirror_behind_nginx(tmp_path_factory):
    """The example province exported and served by nginx; yields (app, port, fallback port)."""
    tmp_path = tmp_path_factory.mktemp("mirror")
    app = make_app(tmp_path / "data")
    export(app, tmp_path / "mirror")
    folder = tmp_path / "nginx"
    folder.mkdir()
    config, port, fallback_port = nginx_serving(str(folder), str(tmp_path / "mirror"))
    nginx = subprocess.Popen([NGINX, "-c", config, "-p", str(folder), "-e", str(folder / "error.log")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_serving(nginx, port)
        yield app, port, fallback_port
    finally:
        end_process(nginx)


def test_nginx_serves_the_mirror_with_no_broken_link_and_pages_that_read_as_the_live_ones(mirror_behind_nginx):
    app, port, _fallback_port = mirror_behind_nginx
    live = app.test_client()
    queue, seen, broken, pages = deque(["/"]), {"/"}, [], 0
    while queue:
        path = queue.popleft()
        status, response, body = fetch(port, path)
        if status != 200:
            broken.append(f"{path} answers {status}")
            continue
        if not response.getheader("Content-Type", "").startswith("text/html"):
            continue
        pages += 1
        live_page = live.get(path).get_data(as_text=True)
        if FORM_PAGES.match(path):
            assert headings(body)[0] == headings(live_page)[0], path
            assert "copy-note" in body, path
        elif WHOLE_LISTS.match(path):
            # Whole where the live page shows a part: everything the live page shows, and more.
            assert set(headings(live_page)) <= set(headings(body)), path
            assert set(main_links(live_page)) <= set(main_links(body)), path
        else:
            assert main_text(body, copy=True) == main_text(live_page), path
        for link in links_of(body):
            parts = urlsplit(urljoin(path, html.unescape(link)))
            if parts.scheme or parts.netloc or link.startswith("#"):
                continue  # the live site, mail, phone
            if parts.path not in seen:
                seen.add(parts.path)
                queue.append(parts.path)
    assert broken == []
    assert pages > 100


def test_while_the_portal_is_down_nginx_answers_from_the_mirror_and_a_form_gets_the_unavailable_page(
        mirror_behind_nginx):
    _app, _port, fallback_port = mirror_behind_nginx
    status, _response, body = fetch(fallback_port, "/tramites/")
    assert status == 200 and "Guía de trámites" in body and "Copia del sitio del" in body
    for path, content_type in (("/eventos.ics", "text/calendar"), ("/datos/meses.csv", "text/csv"),
                               ("/feeds/noticias.atom", "application/atom+xml")):
        status, response, _body = fetch(fallback_port, path)
        assert status == 200 and response.getheader("Content-Type").startswith(content_type), path
    status, _response, body = fetch(fallback_port, "/participa/", method="POST", body="asunto=Hola")
    assert status == 503 and "Temporarily unavailable" in body
    status, _response, body = fetch(fallback_port, "/buscar?q=pasaporte")
    assert status == 503 and "Temporarily unavailable" in body
