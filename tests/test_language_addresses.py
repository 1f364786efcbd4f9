"""One address per language: Spanish at the root, English under /en/, the address alone decides."""
import re
import xml.etree.ElementTree as ElementTree

import pytest
from flask import url_for

from redpinar.addresses import page_language
from redpinar.store.site import load_site, save_site
from redpinar.store.submissions import get_submission
from redpinar.urls import public_url
from tests.conftest import make_app
from tests.language import english
from tests.participation_helpers import log_in, post_form, receipt_pin, sent_code, submit_message
from tests.test_inbox import act, mailbox  # noqa: F401 (mailbox is a fixture)
from tests.test_inbox_workday import parsed

PUBLIC_URL = "https://portal.pinar.example.cu"
# Public and participation pages, each with its own address in every language.
PAGES = ("/", "/temas/", "/tramites/", "/tramites/inscripcion-nacimiento/", "/guias/", "/entidades/", "/noticias/",
         "/avisos/", "/eventos/", "/buscar?q=licencia", "/participa/", "/participa/borrador/", "/seguimiento/",
         "/transparencia/", "/datos/")


@pytest.fixture
def portal(data_dir):
    """The example province with absolute links to a public address that is not the test client's."""
    return make_app(data_dir, PUBLIC_URL=PUBLIC_URL)


def alternates(html):
    """{hreflang: href} of the page's <link rel="alternate" hreflang> elements."""
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def language_link(html):
    """(href, hreflang, lang) of the header's link to the page in the other language."""
    return re.search(r'<nav class="languages"[^>]*>\s*<a href="([^"]+)" hreflang="(\w+)" lang="(\w+)">', html).groups()


def test_english_pages_live_under_en_and_link_to_english_pages(client):
    response = client.get(english("/tramites/inscripcion-nacimiento/"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and '<html lang="en">' in html
    links = re.findall(r'href="([^"]+)"', html)
    assert "/en/tramites/" in links and "/en/participa/" in links and "/en/seguimiento/" in links
    assert "/en/feeds/noticias.atom" in links
    assert not [link for link in links if link.startswith("/") and link.split("?")[0] in ("/tramites/", "/participa/")
                and link not in (language_link(html)[0],)], "only the language link leads to the Spanish pages"


def test_static_theme_and_media_files_keep_one_address_in_english_pages(client):
    html = client.get(english("/")).get_data(as_text=True)
    files = re.findall(r'(?:href|src)="(/(?:en/)?(?:static|tema|medios)/[^"]*)"', html)
    assert files and all(not link.startswith("/en/") for link in files), files
    assert client.get(english("/static/css/site.css")).status_code == 404


@pytest.mark.parametrize("path", ["/admin/", "/admin/login", "/robots.txt", "/sitemap.xml"])
def test_the_panel_robots_and_sitemap_have_no_english_address(client, path):
    assert client.get(path).status_code in (200, 302)
    assert client.get(english(path)).status_code == 404


def test_the_panel_keeps_choosing_its_language_with_lang_and_the_browser(client):
    assert '<html lang="en">' in client.get("/admin/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="en">' in client.get("/admin/login?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in client.get("/admin/login").get_data(as_text=True)


def test_a_language_the_province_does_not_offer_has_no_address(app, client):
    assert client.get("/es/").status_code == 404
    with app.app_context():
        site = load_site()
        save_site(dict(site, languages=["es"]))
    assert client.get(english("/")).status_code == 404
    assert client.get("/?lang=en").headers["Location"] == "/"
    assert 'hreflang="en"' not in client.get("/tramites/").get_data(as_text=True)


def test_the_browser_language_and_the_old_cookie_never_change_what_an_address_returns(client):
    for path in ("/tramites/", english("/tramites/")):
        plain = client.get(path)
        asked = client.get(path, headers={"Accept-Language": "en-GB,en;q=0.9" if path == "/tramites/" else "es"})
        client.set_cookie("lang", "en" if path == "/tramites/" else "es")
        remembered = client.get(path)
        client.delete_cookie("lang")
        assert plain.get_data() == asked.get_data() == remembered.get_data(), path
        for response in (plain, asked, remembered):
            vary = response.headers.get("Vary", "").lower()
            assert "accept-language" not in vary and "cookie" not in vary
            assert response.headers["Cache-Control"].startswith("public")


def test_participation_pages_do_not_vary_with_the_browser_language(client):
    for path in ("/participa/", english("/participa/"), "/seguimiento/", english("/seguimiento/")):
        response = client.get(path, headers={"Accept-Language": "en"})
        assert response.headers["Cache-Control"] == "private, no-store"
        assert "accept-language" not in response.headers.get("Vary", "").lower(), path
        assert f'<html lang="{"en" if path.startswith("/en/") else "es"}">' in response.get_data(as_text=True)


def test_every_page_links_to_its_other_language_marked_with_hreflang_and_lang(client):
    for path in PAGES:
        spanish = client.get(path).get_data(as_text=True)
        english_page = client.get(english(path)).get_data(as_text=True)
        assert language_link(spanish) == (english(path), "en", "en"), path
        assert language_link(english_page) == (path, "es", "es"), path


def test_every_page_declares_both_versions_with_absolute_addresses(portal):
    client = portal.test_client()
    for path in PAGES:
        expected = {"es": PUBLIC_URL + path, "en": PUBLIC_URL + english(path), "x-default": PUBLIC_URL + path}
        assert alternates(client.get(path).get_data(as_text=True)) == expected, path
        english_page = client.get(english(path)).get_data(as_text=True)
        assert alternates(english_page) == expected, path
        assert f'<meta property="og:url" content="{PUBLIC_URL}{english(path).split("?")[0]}">' in english_page


def test_error_pages_declare_no_other_versions(client):
    assert "hreflang" not in client.get(english("/tramites/no-existe/")).get_data(as_text=True).split("<body")[0]


def test_the_language_link_keeps_the_filters_and_only_them(client):
    html = client.get("/tramites/?tema=vivienda&municipio=vinales&utm_source=boletin").get_data(as_text=True)
    assert language_link(html)[0] == "/en/tramites/?tema=vivienda&amp;municipio=vinales"
    assert alternates(html)["en"] == "http://localhost/en/tramites/?tema=vivienda&amp;municipio=vinales"


@pytest.mark.parametrize("old, new", [
    ("/?lang=en", "/en/"),
    ("/tramites/?tema=vivienda&lang=en", "/en/tramites/?tema=vivienda"),
    ("/eventos/?lang=en&mes=2026-12&categoria=cultura", "/en/eventos/?mes=2026-12&categoria=cultura"),
    ("/en/noticias/?lang=es", "/noticias/"),
    ("/en/participa/?lang=es", "/participa/"),
    ("/seguimiento/?lang=en", "/en/seguimiento/"),
    ("/en", "/en/"),
])
def test_old_language_links_answer_a_permanent_redirect_to_the_languages_address(client, old, new):
    response = client.get(old)
    assert response.status_code == 301 and response.headers["Location"] == new
    assert "Set-Cookie" not in response.headers


def test_english_forms_post_to_english_addresses_and_the_receipt_stays_in_english(app, client):
    form = client.get(english("/participa/")).get_data(as_text=True)
    assert 'action="/en/participa/"' in form
    sent = submit_message(client, english("/participa/"))
    code = sent_code(sent)
    assert sent.headers["Location"] == f"/en/participa/recibo/{code}/"
    receipt = client.get(sent.headers["Location"])
    assert '<html lang="en">' in receipt.get_data(as_text=True)
    with app.app_context():
        assert get_submission(code)["language"] == "en"
    tracked = post_form(client, english("/seguimiento/"), english("/seguimiento/"), codigo=code,
                        pin=receipt_pin(client, code))
    assert tracked.headers["Location"].startswith(f"/en/seguimiento/{code}/")
    draft = submit_message(client, english("/participa/"), accion="borrador")
    assert draft.headers["Location"] == "/en/participa/borrador/guardado"


def test_emails_link_to_the_tracking_page_in_the_citizens_language(data_dir, mailbox):  # noqa: F811
    app = make_app(data_dir, SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port, PUBLIC_URL=PUBLIC_URL)
    spanish_code = sent_code(submit_message(app.test_client(), respuesta="correo", correo="maria@example.cu"))
    english_code = sent_code(submit_message(app.test_client(), english("/participa/"), respuesta="correo",
                                            correo="john@example.cu"))
    webmaster = app.test_client()
    log_in(app, webmaster)
    for code in (spanish_code, english_code):
        act(webmaster, code, "responder", **{"answer-respuesta": "Ya llegaron."})
    texts = {recipients[0]: [] for recipients, _ in mailbox.messages}
    for recipients, content in mailbox.messages:
        texts[recipients[0]].append(parsed(content).get_content())
    assert len(texts["john@example.cu"]) == 2, "the receipt and the answer"
    for text in texts["john@example.cu"]:
        assert f"{PUBLIC_URL}/en/seguimiento/" in text
    for text in texts["maria@example.cu"]:
        assert f"{PUBLIC_URL}/seguimiento/" in text and "/en/" not in text


def test_feeds_carry_the_links_and_texts_of_their_language(client):
    spanish = ElementTree.fromstring(client.get("/feeds/noticias.atom").get_data())
    english_feed = ElementTree.fromstring(client.get(english("/feeds/noticias.atom")).get_data())
    atom = "{http://www.w3.org/2005/Atom}"
    spanish_links = [link.get("href") for link in spanish.iter(atom + "link")]
    english_links = [link.get("href") for link in english_feed.iter(atom + "link")]
    assert "http://localhost/feeds/noticias.atom" in spanish_links
    assert "http://localhost/en/feeds/noticias.atom" in english_links
    assert all("/en/" not in link for link in spanish_links)
    assert all(link.startswith("http://localhost/en/") for link in english_links)
    assert spanish.find(atom + "id").text != english_feed.find(atom + "id").text
    assert spanish.find(atom + "entry/" + atom + "title").text != english_feed.find(atom + "entry/" + atom + "title").text


def test_calendars_carry_the_links_and_texts_of_their_language(client):
    spanish = client.get("/eventos.ics").get_data(as_text=True).replace("\r\n ", "")
    english_calendar = client.get(english("/eventos.ics")).get_data(as_text=True).replace("\r\n ", "")
    assert "URL:http://localhost/eventos/" in spanish and "/en/" not in spanish
    assert "URL:http://localhost/en/eventos/" in english_calendar
    assert "SUMMARY:Guided walk through the Viñales Valley" in english_calendar
    slug = re.search(r"URL:http://localhost/eventos/([^/]+)/", spanish).group(1)
    one = client.get(english(f"/eventos/{slug}.ics")).get_data(as_text=True).replace("\r\n ", "")
    assert f"URL:http://localhost/en/eventos/{slug}/" in one


def test_the_sitemap_lists_both_languages_with_their_alternates(portal):
    sitemap = ElementTree.fromstring(portal.test_client().get("/sitemap.xml").get_data())
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    xhtml = "{http://www.w3.org/1999/xhtml}link"
    entries = {url.find(namespace + "loc").text: {link.get("hreflang"): link.get("href") for link in url.iter(xhtml)}
               for url in sitemap.iter(namespace + "url")}
    page = PUBLIC_URL + "/tramites/inscripcion-nacimiento/"
    versions = {"es": page, "en": PUBLIC_URL + "/en/tramites/inscripcion-nacimiento/", "x-default": page}
    assert entries[versions["es"]] == entries[versions["en"]] == versions
    assert len([loc for loc in entries if "/en/" in loc]) == len(entries) // 2


def test_links_in_another_language_come_from_url_for_and_public_url(app):
    client = app.test_client()
    with client:  # keeps the request's context open after it is answered
        client.get(english("/noticias/"))
        assert page_language() == "en"
        assert url_for("public.procedures") == "/en/tramites/"
        assert url_for("public.procedures", _language="es") == "/tramites/"
        assert url_for("static", filename="css/site.css").startswith("/static/")
        assert url_for("public.media_file", name="plano.pdf") == "/medios/plano.pdf"
        assert url_for("admin.inbox").startswith("/admin/")
        assert public_url("participation.tracking") == "http://localhost/en/seguimiento/"
        assert public_url("participation.tracking", _language="es") == "http://localhost/seguimiento/"
    with app.app_context():
        assert public_url("public.home", _language="en") == "http://localhost/en/"
        assert public_url("public.home") == "http://localhost/"
