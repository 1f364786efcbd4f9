"""The events calendar and its iCalendar export, search, feeds, sitemap."""
from datetime import datetime

import feedparser
import pytest
from icalendar import Calendar

from redpinar.store import content
from tests.public_content import load_known_content
from tests.test_pages import page_text


@pytest.fixture
def known(app):
    """The app with the known content loaded; returns its dates."""
    return load_known_content(app)


def test_events_list_shows_upcoming_events_soonest_first(client, known):
    text = page_text(client.get("/eventos/"))
    assert text.index("Serie de béisbol") < text.index("Festival de Viñales")
    assert "Concierto pasado" not in text


def test_events_filter_by_category_and_municipality(client, known):
    culture = page_text(client.get("/eventos/?categoria=cultura"))
    assert "Festival de Viñales" in culture and "Serie de béisbol" not in culture
    guane = page_text(client.get("/eventos/?municipio=guane"))
    assert "No hay eventos próximos con esos filtros." in guane


def test_month_view_places_each_event_on_its_days_and_navigates_without_javascript(client, known):
    month = known["next_month"].strftime("%Y-%m")
    response = client.get(f"/eventos/?mes={month}")
    html = response.get_data(as_text=True)
    assert "2 eventos este mes" in page_text(response)
    assert html.count('href="/eventos/festival-de-vinales/"') == 3  # three days
    assert html.count('href="/eventos/serie-de-beisbol/"') == 1
    assert f'mes={(known["next_month"].replace(day=28)).strftime("%Y-%m")}' in html  # previous/next links
    filtered = client.get(f"/eventos/?mes={month}&municipio=vinales").get_data(as_text=True)
    assert "serie-de-beisbol" not in filtered and "festival-de-vinales" in filtered
    assert 'name="mes" value="' + month + '"' in filtered


@pytest.mark.parametrize("month", ["2026-13", "abc", "0001-01", "<script>"])
def test_odd_month_values_fall_back_to_the_list(client, known, month):
    response = client.get("/eventos/", query_string={"mes": month})
    assert response.status_code == 200
    assert "Próximos eventos" in page_text(response)


def test_one_event_downloads_as_icalendar_with_its_link_back(client, known):
    response = client.get("/eventos/serie-de-beisbol.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    calendar = Calendar.from_ical(response.get_data())
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Serie de béisbol"
    assert event.decoded("DTSTART") == datetime.fromisoformat(_stored_start(client.application, "serie-de-beisbol"))
    assert str(event["URL"]) == "http://localhost/eventos/serie-de-beisbol/"
    assert "Estadio Capitán San Luis, Pinar del Río" == str(event["LOCATION"])


def _stored_start(app, slug):
    with app.app_context():
        return content.find_documents("events", slug=slug)[0]["start"]


def test_whole_calendar_exports_upcoming_and_recent_events(client, known):
    calendar = Calendar.from_ical(client.get("/eventos.ics").get_data())
    summaries = sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))
    assert summaries == ["Concierto pasado", "Festival de Viñales", "Serie de béisbol"]
    assert all(event.decoded("DTSTART").tzinfo is not None for event in calendar.walk("VEVENT"))


def test_search_ignores_accents_and_case(client, known):
    for query in ("inscripcion", "INSCRIPCIÓN", "Inscripcion de nacimiento", "nacim"):
        text = page_text(client.get("/buscar", query_string={"q": query}))
        assert "Inscripción de nacimiento" in text, query
    assert "Licencia de construcción" in page_text(client.get("/buscar?q=construccion"))


def test_search_ranks_title_matches_first_and_highlights_the_words(client, known):
    html = client.get("/buscar?q=nacimiento").get_data(as_text=True)
    # The procedure has the word in its title; the guide only in its summary.
    assert html.index("Inscripción de nacimiento</a>") < html.index("Tener un bebé</a>")
    assert "<mark>nacimiento</mark>" in html


def test_search_filters_by_type_and_paginates(client, known):
    only_news = page_text(client.get("/buscar?q=noticia&tipo=noticias"))
    assert "25 resultados" in only_news and "Página 1 de 3" in only_news
    assert "Inscripción" not in only_news
    assert "Página 2 de 3" in page_text(client.get("/buscar?q=noticia&tipo=noticias&pagina=2"))


def test_search_without_results_suggests_what_to_try(client, known):
    text = page_text(client.get("/buscar?q=zzzyyyxxx"))
    assert "No encontramos nada para «zzzyyyxxx»" in text
    assert "Pruebe con menos palabras" in text


@pytest.mark.parametrize("query", [
    "", "   ", '"', "*", "NEAR(a b)", "a OR b AND NOT c", "'; DROP TABLE entries; --", "(((", "^", "ñ", "\x00",
])
def test_odd_queries_get_a_page_never_an_error(client, known, query):
    response = client.get("/buscar", query_string={"q": query})
    assert response.status_code == 200


def test_a_huge_query_gets_a_clear_message(client, known):
    text = page_text(client.get("/buscar", query_string={"q": "palabra " * 100}))
    assert "La búsqueda es demasiado larga" in text


def test_search_sees_new_content_at_once(app, client, known):
    assert "Ferretería" not in page_text(client.get("/buscar?q=ferreteria"))
    with app.app_context():
        content.insert_document("news", {"slug": "ferreteria", "title": {"es": "Nueva ferretería en Guane"},
                                         "summary": {"es": "Abre"}, "published": "2026-01-01T10:00:00-05:00"})
    assert "Nueva ferretería en Guane" in page_text(client.get("/buscar?q=ferreteria"))


@pytest.mark.parametrize("path, title", [
    ("/feeds/noticias.atom", "Noticias"), ("/feeds/avisos.atom", "Avisos"), ("/feeds/eventos.atom", "Próximos eventos"),
])
def test_feeds_are_valid_atom(client, known, path, title):
    response = client.get(path)
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.get_data())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title.endswith(title)
    assert feed.entries and all(entry.link.startswith("http://localhost/") for entry in feed.entries)


def test_news_feed_lists_the_latest_first(client, known):
    feed = feedparser.parse(client.get("/feeds/noticias.atom").get_data())
    assert feed.entries[0].title == "Noticia número 25"
    assert "Concierto pasado" not in [entry.title for entry in feedparser.parse(
        client.get("/feeds/eventos.atom").get_data()).entries]


def test_sitemap_lists_every_public_page(client, known):
    xml = client.get("/sitemap.xml").get_data(as_text=True)
    for path in ("/tramites/inscripcion-de-nacimiento/", "/guias/tener-un-bebe/", "/entidades/vivienda/",
                 "/noticias/noticia-7/", "/avisos/corte-de-agua/", "/eventos/serie-de-beisbol/",
                 "/temas/servicios-juridicos/como-presentar-una-queja/", "/temas/salud/", "/tramites/"):
        assert f"<loc>http://localhost{path}</loc>" in xml
    assert "Sitemap: http://localhost/sitemap.xml" in client.get("/robots.txt").get_data(as_text=True)
