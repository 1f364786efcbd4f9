"""`flask export-site`: a static mirror with the same addresses, and an offline zip with relative links."""
import io
import json
import os
import posixpath
import re
import zipfile
from datetime import date
from urllib.parse import unquote, urlsplit

import pytest
from flask_babel import force_locale, format_date
from werkzeug.datastructures import FileStorage

from redpinar.sitecopy.links import file_for
from redpinar.store import content, media
from tests.conftest import make_app
from tests.language import english
from tests.site_copy_helpers import export, is_internal, links_of, main_text, pages_of
from tests.test_media import image_bytes

RECENT_NEWS = "oficina-de-carne-atiende-los-sabados"  # published the day the example is loaded
DEMO = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "demo", "pinar-del-rio", "content")


def demo_slugs(collection):
    with open(os.path.join(DEMO, f"{collection}.json"), encoding="utf-8") as handle:
        return [document["slug"] for document in json.load(handle)]


def demo_news_by_age():
    with open(os.path.join(DEMO, "news.json"), encoding="utf-8") as handle:
        return {document["slug"]: document["published_days_ago"] for document in json.load(handle)}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The example province, its mirror (2 months of news) and offline zip: (app, mirror folder, zip, output)."""
    folder = tmp_path_factory.mktemp("site-copy")
    app = make_app(folder / "data")
    with app.app_context():  # a procedure whose text links to a search and to an address outside the site
        procedure = content.find_documents("procedures", slug=demo_slugs("procedures")[0])[0]
        content.update_document("procedures", procedure["id"], {
            "who_may_apply": "Vea [la búsqueda](/buscar?q=pasaporte) y [esto](/../../fuera.html)."})
        # A news item showing an uploaded photo at several widths, as the media page's snippet does.
        photo = media.save_image(FileStorage(io.BytesIO(image_bytes()), "foto.jpg", content_type="image/jpeg"),
                                 "Una oficina")
        names = [file["name"] for file in photo["files"]]
        news_item = content.find_documents("news", slug=RECENT_NEWS)[0]
        srcset = ", ".join(f"/medios/{file['name']} {file['width']}w" for file in photo["files"])
        content.update_document("news", news_item["id"], {
            "body": f'<img src="/medios/{names[0]}" srcset="{srcset}" alt="Una oficina">'})
    mirror = folder / "mirror"
    mirror_result = export(app, mirror, "--news-months", "2")
    offline = folder / "copy.zip"
    offline_result = export(app, "--offline", offline)
    return app, mirror, offline, mirror_result.output + offline_result.output


def test_the_mirror_holds_every_public_page_at_the_same_address(exported):
    _app, mirror, _offline, _output = exported
    for collection, path in (("procedures", "tramites"), ("guides", "guias"), ("entities", "entidades"),
                             ("notices", "avisos"), ("events", "eventos"), ("topics", "temas")):
        assert (mirror / path / "index.html").is_file()
        for slug in demo_slugs(collection):
            assert (mirror / path / slug / "index.html").is_file(), f"/{path}/{slug}/ is missing"
    for name in ("index.html", "robots.txt", "sitemap.xml", "eventos.ics", "feeds/noticias.atom",
                 "feeds/avisos.atom", "feeds/eventos.atom", "static/css/site.css", "static/img/favicon.svg",
                 "tema/logo.svg", "participa/index.html", "seguimiento/index.html", "transparencia/index.html",
                 "datos/index.html", "datos/meses.csv", "datos/preguntas.json"):
        assert (mirror / name).is_file(), f"{name} is missing"
    with open(os.path.join(DEMO, "pages.json"), encoding="utf-8") as handle:
        for page in json.load(handle):
            assert (mirror / "temas" / page["topic"] / page["slug"] / "index.html").is_file(), page["slug"]
    assert not (mirror / "admin").exists()
    assert not (mirror / "buscar").exists()


def test_the_media_a_page_shows_are_copied_at_every_width(exported):
    _app, mirror, offline, _output = exported
    page = (mirror / "noticias" / RECENT_NEWS / "index.html").read_text()
    photos = sorted(set(re.findall(r"/medios/([\w.-]+)", page)))
    assert len(photos) >= 2
    for name in photos:
        assert (mirror / "medios" / name).is_file(), name
    with zipfile.ZipFile(offline) as archive:
        offline_page = archive.read(f"noticias/{RECENT_NEWS}/index.html").decode("utf-8")
    offline_srcset = re.search(r'srcset="([^"]*)"', offline_page).group(1)
    assert all(candidate.strip().startswith("../../medios/") for candidate in offline_srcset.split(","))


def test_news_goes_back_as_many_months_as_asked(exported):
    _app, mirror, _offline, _output = exported
    ages = demo_news_by_age()
    for slug, days in ages.items():
        assert (mirror / "noticias" / slug / "index.html").is_file() == (days < 60), slug
    # The one list page holds all of them, without ?pagina=.
    listed = (mirror / "noticias" / "index.html").read_text()
    assert all(f"/noticias/{slug}/" in listed for slug, days in ages.items() if days < 60)
    assert "pagina=" not in listed


def test_every_page_of_a_copy_says_its_date_and_holds_no_form(exported):
    app, mirror, _offline, _output = exported
    with app.test_request_context():
        banner = f"Copia del sitio del {format_date(date.today(), 'long')}."
        with force_locale("en"):
            english_banner = f"Copy of the site made on {format_date(date.today(), 'long')}."
    pages = pages_of(mirror)
    assert len(pages) > 100 and any(name.startswith("en/") for name in pages)
    for name, page in pages.items():
        assert (english_banner if name.startswith("en/") else banner) in page, name
        assert "<form" not in page, name
        assert 'name="csrf_token"' not in page, name


def test_forms_are_replaced_by_where_to_send_them_online_or_in_person(exported):
    _app, mirror, _offline, _output = exported
    submit = (mirror / "participa" / "index.html").read_text()
    assert 'href="http://localhost/participa/"' in submit
    assert "En persona o por teléfono:" in submit and "+53 48 000 000" in submit
    assert 'href="http://localhost/seguimiento/"' in (mirror / "seguimiento" / "index.html").read_text()
    procedures = (mirror / "tramites" / "index.html").read_text()
    assert "Esta copia muestra la lista completa" in procedures
    assert 'href="http://localhost/buscar"' in procedures  # the search box's replacement


def test_no_link_of_the_mirror_dangles_or_keeps_a_query_string(exported):
    _app, mirror, _offline, _output = exported
    for name, page in pages_of(mirror).items():
        for link in links_of(page):
            if not is_internal(link):
                continue
            parts = urlsplit(link)
            assert parts.query == "" or parts.path.startswith(("/static/", "/tema/")), f"{name}: {link}"
            assert file_for(parts.path) and (mirror / file_for(parts.path)).is_file(), f"{name}: {link}"


def test_events_are_complete_in_a_copy_past_and_upcoming(exported):
    _app, mirror, _offline, _output = exported
    listed = (mirror / "eventos" / "index.html").read_text()
    for slug in demo_slugs("events"):
        assert f'href="/eventos/{slug}/"' in listed, slug
    assert "mes=" not in listed


def test_the_offline_copy_links_every_page_by_a_relative_path_to_its_index_html(exported):
    _app, _mirror, offline, output = exported
    assert f"Offline copy written to {offline}: " in output and "languages: es" in output
    assert "KB" in output.split(f"{offline}: ")[1].splitlines()[0]
    with zipfile.ZipFile(offline) as archive:
        names = set(archive.namelist())
        assert "index.html" in names and "tramites/index.html" in names
        for name in names:
            if not name.endswith(".html"):
                continue
            page = archive.read(name).decode("utf-8")
            for link in links_of(page):
                if not is_internal(link):
                    continue
                assert not link.startswith("/"), f"{name}: {link} is not relative"
                target = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(urlsplit(link).path)))
                assert target in names, f"{name}: {link} leads nowhere"
                assert not urlsplit(link).query, f"{name}: {link}"


def test_a_copy_leaves_the_live_pages_as_they_were(exported):
    app, _mirror, _offline, _output = exported
    client = app.test_client()
    for path in ("/tramites/", "/participa/", "/"):
        page = client.get(path).get_data(as_text=True)
        assert "<form" in page and "Copia del sitio" not in page
    assert "pagina=2" in client.get("/noticias/").get_data(as_text=True)


def test_a_copy_needs_a_new_or_empty_folder(app, tmp_path):
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "something.txt").write_text("mine")
    result = app.test_cli_runner().invoke(args=["export-site", str(occupied)])
    assert result.exit_code != 0 and "is not empty" in result.output
    assert os.listdir(occupied) == ["something.txt"]
    result = app.test_cli_runner().invoke(args=["export-site", "--offline", str(tmp_path / "copy.tar")])
    assert result.exit_code != 0 and ".zip" in result.output


def test_a_copy_larger_than_its_limit_stops_with_a_clear_error(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["export-site", str(tmp_path / "mirror"), "--max-files", "20"])
    assert result.exit_code != 0
    assert "more than 20 files" in result.output and "--max-files" in result.output
    assert os.listdir(tmp_path / "mirror") == []  # no half copy left for a web server to serve


def test_addresses_that_could_leave_the_copy_have_no_file():
    for path in ("/../etc/passwd", "/a/../../x.html", "/%2e%2e/x.html", "/.git/config", "/a//b/", "/a\\b.html",
                 "/buscar", "/x?y=1"):
        assert file_for(path) is None, path
    assert file_for("/tramites/x/") == "tramites/x/index.html"
    assert file_for("/feeds/noticias.atom") == "feeds/noticias.atom"


def test_links_outside_the_copy_go_to_the_live_site_and_nothing_is_written_outside(exported):
    _app, mirror, _offline, output = exported
    assert not (mirror.parent / "fuera.html").exists()
    page = (mirror / "tramites" / demo_slugs("procedures")[0] / "index.html").read_text()
    assert 'href="http://localhost/buscar?q=pasaporte"' in page
    assert 'href="http://localhost/fuera.html"' in page
    assert "links to /fuera.html, which answers 404" in output  # the operator hears of the broken link


def test_the_english_pages_are_copied_too(tmp_path):
    app = make_app(tmp_path / "data")
    mirror = tmp_path / "mirror"
    export(app, mirror)
    home = (mirror / "en" / "index.html").read_text()
    assert 'lang="en"' in home and "Copy of the site made on" in home
    # Every page is rendered in its own request: the language of one never sticks to the next.
    assert '<html lang="es"' in (mirror / "tramites" / "index.html").read_text()
    english_procedures = english("/tramites/")
    assert (mirror / file_for(english_procedures)).is_file()
    assert "Procedures" in main_text((mirror / file_for(english_procedures)).read_text(), copy=True)
    # The Spanish page's language link leads to the English page of the copy.
    assert f'href="{english_procedures}"' in (mirror / "tramites" / "index.html").read_text()



def demo_offices():
    with open(os.path.join(os.path.dirname(DEMO), "appointments.json"), encoding="utf-8") as handle:
        return json.load(handle)["offices"]


def test_appointment_offices_in_a_copy_say_where_when_and_what_to_bring_without_free_times(exported):
    _app, mirror, _offline, _output = exported
    offices = demo_offices()
    listed = (mirror / "citas" / "index.html").read_text()
    assert 'href="http://localhost/citas/"' in listed  # where to book online, instead of the filters
    for office in offices:
        assert f'href="/citas/{office["slug"]}/"' in listed and office["address"] in listed
        page = (mirror / "citas" / office["slug"] / "index.html").read_text()
        assert office["address"] in page
        assert f'href="http://localhost/citas/{office["slug"]}/"' in page  # book online at the live office page
        assert "Horario de atención" in page and "<dt>Lunes</dt><dd>8:00–12:00" in page
        for slug in office["procedures"]:
            assert f'href="/tramites/{slug}/"' in page
        # No free days or times (they go stale) and no step of a booking.
        for stale in ("plaza libre", "plazas libres", "dia=", "tramite=", "reservar", "disponibilidad.json"):
            assert stale not in page, (office["slug"], stale)
        assert not (mirror / "citas" / office["slug"] / "disponibilidad.json").exists()
    passports = (mirror / "citas" / "pasaportes-pinar-del-rio" / "index.html").read_text()
    assert "Carné de identidad, foto reciente y sellos" in passports  # the office's own note of what to bring
    identity = (mirror / "citas" / "carne-identidad-pinar-del-rio" / "index.html").read_text()
    assert "Certificación de nacimiento (primera vez)." in identity  # else the procedure's documents
    english_page = (mirror / "en" / "citas" / "pasaportes-pinar-del-rio" / "index.html").read_text()
    assert "Opening hours" in english_page and "Identity card, a recent photo" in english_page
    assert 'href="http://localhost/en/citas/pasaportes-pinar-del-rio/"' in english_page


def test_a_procedure_in_a_copy_leads_to_its_offices_in_the_copy_and_to_online_requests_on_the_live_site(exported):
    _app, mirror, _offline, _output = exported
    page = (mirror / "tramites" / "cambio-domicilio" / "index.html").read_text()
    assert 'href="/citas/carne-identidad-pinar-del-rio/"' in page  # "Pedir cita en …": the office's page
    assert 'href="http://localhost/tramites/cambio-domicilio/solicitar"' in page  # "Solicitar en línea"
    assert "tramite=" not in page
    listed = (mirror / "tramites" / "index.html").read_text()
    assert 'href="/citas/"' in listed and "/citas/?" not in listed
    open_data = (mirror / "datos" / "index.html").read_text()
    assert 'href="http://localhost/citas/pasaportes-pinar-del-rio/disponibilidad.json"' in open_data
