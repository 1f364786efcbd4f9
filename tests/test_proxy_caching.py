"""Responses any proxy can cache safely: public pages for everybody, the rest for nobody."""
import pytest

from redpinar.store import catalogue
from tests.language import english
from tests.participation_helpers import log_in, receipt_pin, sent_code, submit_message

SHARED = "public, max-age=60, stale-if-error=86400"
PERSONAL = "private, no-store"
PUBLIC_PAGES = ("/", "/temas/", "/tramites/", "/entidades/", "/guias/", "/noticias/", "/avisos/", "/eventos/",
                "/buscar?q=licencia", "/feeds/noticias.atom", "/eventos.ics", "/sitemap.xml", "/robots.txt")


def public_pages(app):
    """Every kind of public page, one procedure's page among them."""
    with app.app_context():
        procedure = catalogue.popular_procedures(1)[0]["slug"]
    return PUBLIC_PAGES + (f"/tramites/{procedure}/",)


def assert_shared(response, page):
    assert response.status_code == 200, page
    assert response.headers["Cache-Control"] == SHARED, page
    assert response.headers.get("ETag"), page
    assert "Set-Cookie" not in response.headers, page
    assert "cookie" not in response.headers.get("Vary", "").lower(), page
    # nginx keys its cache on the address and gzip or not, ignoring Vary: a shared page may vary on nothing else.
    assert {name.strip().lower() for name in response.headers.get("Vary", "").split(",") if name.strip()} \
        <= {"accept-encoding"}, page


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_anonymous_public_pages_may_be_kept_by_any_proxy(app, client, encoding):
    for page in public_pages(app):
        # The second answer comes from the kept pages: it must say the same.
        for _ in range(2):
            assert_shared(client.get(page, headers={"Accept-Encoding": encoding}), page)


def test_a_public_page_answered_304_keeps_its_cache_headers(client):
    etag = client.get("/noticias/").headers["ETag"]
    again = client.get("/noticias/", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["Cache-Control"] == SHARED


def test_a_public_page_keeps_no_session_even_for_a_visitor_who_has_one(client):
    client.get("/participa/")  # the form's token lives in a session cookie
    response = client.get("/noticias/")
    assert_shared(response, "/noticias/")


def test_a_logged_in_webmaster_gets_public_pages_private_and_without_the_session_cookie(app, client):
    log_in(app, client)
    for page in public_pages(app):
        response = client.get(page)
        assert response.status_code == 200, page
        assert response.headers["Cache-Control"] == PERSONAL, page
        assert "Set-Cookie" not in response.headers, page


def test_static_files_never_carry_the_webmasters_session_cookie(app, client):
    log_in(app, client)
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"].startswith("public")


def test_the_panel_still_refreshes_the_webmasters_session(app, client):
    log_in(app, client)
    response = client.get("/admin/mensajes/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == PERSONAL
    assert "Set-Cookie" in response.headers  # the idle clock moved on


def test_pages_with_a_form_token_receipts_and_tracking_pages_are_private(app, client):
    code = sent_code(submit_message(client))
    pin = receipt_pin(client, code)
    assert pin
    pages = ["/participa/", "/seguimiento/", f"/participa/recibo/{code}/", f"/seguimiento/{code}/",
             "/participa/borrador/", "/admin/login"]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert response.headers["Cache-Control"] == PERSONAL, page


def test_every_panel_page_is_private(app, client):
    log_in(app, client)
    for page in ("/admin/mensajes/", "/admin/contenido/", "/admin/medios/", "/admin/ajustes",
                 "/admin/registro", "/admin/papelera/", "/admin/cuentas", "/admin/mensajes.csv"):
        response = client.get(page)
        assert response.status_code == 200, page
        assert response.headers["Cache-Control"] == PERSONAL, page


def test_a_page_asked_with_the_old_language_cookie_is_shared_like_any_other(client):
    client.set_cookie("lang", "en")
    response = client.get("/noticias/", headers={"Accept-Language": "en"})
    assert 'lang="es"' in response.get_data(as_text=True)
    assert_shared(response, "/noticias/")
    assert "accept-language" not in response.headers.get("Vary", "").lower()


def test_english_public_pages_may_be_kept_by_any_proxy(app, client):
    for page in public_pages(app):
        if page not in ("/sitemap.xml", "/robots.txt"):
            assert_shared(client.get(english(page)), english(page))


def test_a_page_that_sets_a_cookie_is_not_shared(app, client):
    @app.after_request
    def set_a_cookie(response):
        response.set_cookie("aviso-visto", "1")
        return response

    response = client.get("/noticias/")
    assert "Set-Cookie" in response.headers
    assert response.headers["Cache-Control"] == PERSONAL
