"""Pages as a browser receives them: language, errors, headers, caching, compression."""
import errno
import gzip
import os
import re
from html import unescape

import pytest
from flask import abort, render_template_string, request
from flask_wtf import FlaskForm
from werkzeug.exceptions import TooManyRequests

from redpinar.security import style_hash
from redpinar.store import content
from tests.conftest import make_app
from tests.language import english


def page_text(response):
    """The visible text of an HTML response, tags removed."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_home_page_speaks_spanish_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="es">' in response.get_data(as_text=True)
    text = page_text(response)
    assert "Gobierno Provincial de Pinar del Río" in text
    assert "Saltar al contenido" in text
    assert "La provincia tiene 11 municipios." in text
    assert "Consolación del Sur" in text and "Programas sociales" in text


def test_english_home_page_lives_at_its_own_address(client):
    response = client.get(english("/"))
    assert '<html lang="en">' in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers
    text = page_text(response)
    assert "Pinar del Río Provincial Government" in text
    assert "Skip to content" in text and "The province has 11 municipalities." in text
    assert "Social programs" in text
    assert '<html lang="es">' in client.get("/").get_data(as_text=True)


def test_browser_language_never_changes_what_an_address_returns(client):
    spanish = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="es">' in spanish.get_data(as_text=True)
    assert spanish.get_data() == client.get("/", headers={"Accept-Language": "es"}).get_data()
    english_page = client.get(english("/"), headers={"Accept-Language": "es-CU,es;q=0.9"})
    assert '<html lang="en">' in english_page.get_data(as_text=True)


def test_english_pages_show_no_spanish_interface_text(client):
    text = page_text(client.get(english("/")))
    for spanish in ("Saltar", "Inicio", "Temas", "Municipios", "Contacto", "Teléfono", "Horario", "Idioma"):
        assert spanish not in text, spanish


def probe_app(data_dir, **settings):
    """The portal plus a few routes that fail on purpose, to show every error page."""
    app = make_app(data_dir, **settings)

    @app.route("/probe/<int:code>")
    def probe(code):
        if code == 429:
            raise TooManyRequests(retry_after=60)
        if code == 500:
            raise RuntimeError("a bug")
        abort(code)

    @app.route("/probe/form", methods=["GET", "POST"])
    def probe_form():
        form = FlaskForm()
        if request.method == "POST":
            if form.validate_on_submit():
                content.insert_document("notes", {"text": request.form["message"]})
                return "saved"
            abort(400)
        return render_template_string("<form method=post>{{ form.csrf_token }}</form>", form=form)

    return app


ERROR_TITLES = {
    400: ("Solicitud incorrecta", "Bad request"),
    403: ("Acceso no permitido", "Access not allowed"),
    404: ("Página no encontrada", "Page not found"),
    405: ("Acción no permitida", "Action not allowed"),
    413: ("Envío demasiado grande", "What you sent is too large"),
    429: ("Demasiados intentos", "Too many attempts"),
    500: ("Error del servidor", "Server error"),
}


@pytest.mark.parametrize("code", sorted(ERROR_TITLES))
@pytest.mark.parametrize("language", ["es", "en"])
def test_error_pages_explain_in_the_visitors_language_with_a_way_back(data_dir, code, language):
    app = probe_app(data_dir, MAX_CONTENT_LENGTH=1024)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    address = english if language == "en" else str
    if code == 404:
        response = client.get(address("/no-existe"))
    elif code == 405:
        response = client.post(address("/"), data={"x": "1"})
    elif code == 413:
        response = client.post(address("/probe/form"), data={"message": "x" * 4096})
    elif code == 400:
        response = client.post(address("/probe/form"), data={"message": "sin token"})
    else:
        response = client.get(address(f"/probe/{code}"))
    assert response.status_code == code
    text = page_text(response)
    assert ERROR_TITLES[code][0 if language == "es" else 1] in text
    html = response.get_data(as_text=True)
    assert f'<html lang="{language}">' in html
    assert f'href="{address("/")}"' in html
    if code == 429:
        assert response.headers["Retry-After"] == "60"
    if code == 405:
        assert "GET" in response.headers["Allow"]


def test_a_write_that_cannot_reach_the_disk_shows_the_text_back_to_the_citizen(data_dir, monkeypatch):
    app = probe_app(data_dir)
    app.config["WTF_CSRF_ENABLED"] = False

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    client = app.test_client()
    message = "La guagua de Viñales no pasa desde el lunes <script>alert(1)</script>"
    response = client.post("/probe/form", data={"message": message})
    monkeypatch.undo()
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "No se pudo guardar" in page_text(response)
    assert "La guagua de Viñales no pasa desde el lunes &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html
    assert 'action="/probe/form"' in html
    with app.app_context():
        assert content.all_documents("notes") == []


def test_a_write_that_cannot_reach_the_disk_sends_the_english_text_back_to_the_english_address(data_dir, monkeypatch):
    app = probe_app(data_dir)
    app.config["WTF_CSRF_ENABLED"] = False
    monkeypatch.setattr(os, "fsync", lambda *args: (_ for _ in ()).throw(OSError(errno.ENOSPC, "disk full")))
    response = app.test_client().post(english("/probe/form"), data={"message": "The bus has not come"})
    monkeypatch.undo()
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html and 'action="/en/probe/form"' in html


def test_every_response_carries_strict_security_headers(client):
    response = client.get("/")
    headers = response.headers
    policy = headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    inline_style = re.search(r"<style>(.*?)</style>", response.get_data(as_text=True)).group(1)
    assert style_hash(inline_style) in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in headers
    assert "Content-Security-Policy" in client.get("/no-existe").headers


def test_session_cookie_is_http_only_lax_and_secure_behind_https(data_dir):
    for https, secure in ((False, False), (True, True)):
        folder = data_dir / f"https-{https}"
        folder.mkdir()
        app = probe_app(folder, HTTPS=https)
        response = app.test_client().get("/probe/form")
        cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert ("Secure" in cookie) is secure
        if https:
            assert "max-age=31536000" in response.headers["Strict-Transport-Security"]


def test_secret_key_is_generated_once_into_the_data_folder_readable_by_the_owner_only(app, data_dir):
    key_file = data_dir / "secret_key"
    assert oct(os.stat(key_file).st_mode & 0o777) == "0o600"
    key = key_file.read_text()
    assert app.secret_key == key and len(key) >= 64
    assert make_app(data_dir, province=None).secret_key == key


def test_secret_key_from_the_environment_writes_no_key_file(data_dir, monkeypatch):
    monkeypatch.setenv("REDPINAR_SECRET_KEY", "k" * 40)
    app = make_app(data_dir, province=None)
    assert app.secret_key == "k" * 40
    assert not (data_dir / "secret_key").exists()


def test_html_is_gzipped_for_clients_that_accept_it(client):
    plain = client.get("/")
    zipped = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.get_data()) == plain.get_data()
    assert len(zipped.get_data()) < len(plain.get_data()) / 2


def test_unchanged_page_is_answered_304_with_its_etag(client):
    first = client.get("/", headers={"Accept-Encoding": "gzip"})
    etag = first.headers["ETag"]
    again = client.get("/", headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""


def test_page_changes_get_a_new_etag(app, client):
    etag = client.get("/").headers["ETag"]
    with app.app_context():
        content.insert_document("topics", {"slug": "nuevo", "name": {"es": "Tema nuevo", "en": "New"}})
    changed = client.get("/", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert "Tema nuevo" in page_text(changed)


def test_static_files_have_a_content_fingerprint_and_a_year_long_cache(client):
    html = client.get("/").get_data(as_text=True)
    css_url = re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]{12})"', html).group(1)
    logo_url = re.search(r'src="(/tema/logo\.svg\?v=[0-9a-f]{12})"', html).group(1)
    for url in (css_url, logo_url):
        response = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    css = client.get(css_url, headers={"Accept-Encoding": "gzip"})
    assert css.headers["Content-Encoding"] == "gzip"
    assert b"skip-link" in gzip.decompress(css.get_data())


def test_theme_files_cannot_be_reached_outside_the_theme_folder(client):
    assert client.get("/tema/../site.json").status_code == 404
    assert client.get("/tema/%2e%2e/secret_key").status_code == 404


def test_robots_txt_keeps_crawlers_out_of_the_panel(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Disallow: /admin/" in response.get_data(as_text=True)


def test_forwarded_addresses_are_believed_only_from_trusted_proxies(data_dir):
    from redpinar.security import client_address
    for trusted, expected in (((), "10.0.0.5"), (("10.0.0.5",), "203.0.113.7")):
        app = make_app(data_dir / f"proxy-{len(trusted)}", province=None, TRUSTED_PROXIES=trusted)
        with app.test_request_context("/", environ_base={"REMOTE_ADDR": "10.0.0.5"},
                                      headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.7"}):
            assert client_address() == expected
