"""What a citizen reads: procedures, guides, topics, entities, news, notices, pages."""
import re

import pytest

from redpinar.store import content
from tests.language import english
from tests.public_content import load_known_content
from tests.test_pages import page_text


@pytest.fixture
def known(app):
    """The app with the known content loaded; returns its dates."""
    return load_known_content(app)


def test_procedure_card_shows_everything_a_citizen_needs_before_going(client, known):
    response = client.get("/tramites/inscripcion-de-nacimiento/")
    assert response.status_code == 200
    text = page_text(response)
    for expected in ("Inscripción de nacimiento", "Quién puede solicitarlo", "La madre o el padre",
                     "Certificado médico de nacimiento", "Carné de identidad de los padres",
                     "Entregue los documentos", "Oficina del Registro Civil", "Calle Maceo 12",
                     "8:00 a 16:00", "Gratuito", "En el acto", "Indefinida", "Ley del Registro del Estado Civil",
                     "Licencia de construcción", "Tener un bebé", "Registro del Estado Civil",
                     "Responsable del texto: Registro del Estado Civil"):
        assert expected in text, expected
    html = response.get_data(as_text=True)
    assert re.search(r'<ol class="steps" lang="es"><li>Vaya a la oficina', html)
    assert "puede estar desactualizada" not in text


def test_procedure_past_its_review_period_says_it_may_be_out_of_date(client, known):
    text = page_text(client.get("/tramites/licencia-de-construccion/"))
    assert "puede estar desactualizada" in text
    assert "150 CUP" in text and "Sellos: 5 CUP" in text


def test_procedure_in_english_keeps_spanish_details_marked_as_spanish(client, known):
    response = client.get(english("/tramites/inscripcion-de-nacimiento/"))
    text = page_text(response)
    assert "Birth registration" in text and "Who may apply" in text
    assert "The details of this procedure are in Spanish." in text
    assert "<ol class=\"steps\" lang=\"es\">" in response.get_data(as_text=True)


def test_procedures_catalogue_filters_by_topic_entity_and_municipality(client, known):
    both = page_text(client.get("/tramites/"))
    assert "Inscripción de nacimiento" in both and "Licencia de construcción" in both
    by_topic = page_text(client.get("/tramites/?tema=vivienda"))
    assert "Licencia de construcción" in by_topic and "Inscripción de nacimiento" not in by_topic
    by_entity = page_text(client.get("/tramites/?entidad=registro-civil"))
    assert "Inscripción de nacimiento" in by_entity and "Licencia de construcción" not in by_entity
    in_mantua = page_text(client.get("/tramites/?municipio=mantua"))
    assert "Inscripción de nacimiento" in in_mantua and "Licencia de construcción" not in in_mantua
    unknown = page_text(client.get("/tramites/?tema=<script>&municipio=atlantida&entidad=x"))
    assert "Inscripción de nacimiento" in unknown and "Licencia de construcción" in unknown


def test_guide_links_its_procedures_in_order_with_and_or(client, known):
    response = client.get("/guias/tener-un-bebe/")
    html = response.get_data(as_text=True)
    first = html.index("/tramites/inscripcion-de-nacimiento/")
    second = html.index("/tramites/licencia-de-construccion/")
    assert first < second
    assert "o bien" in page_text(response)


def test_topic_page_gathers_its_procedures_guides_entities_and_pages(client, known):
    text = page_text(client.get("/temas/servicios-juridicos/"))
    for expected in ("Servicios jurídicos", "Inscripción de nacimiento", "Tener un bebé",
                     "Registro del Estado Civil", "Cómo presentar una queja"):
        assert expected in text
    assert "Licencia de construcción" not in text


def test_free_text_page_lives_under_its_topic(client, known):
    response = client.get("/temas/servicios-juridicos/como-presentar-una-queja/")
    assert response.status_code == 200
    assert "<strong>Participa</strong>" in response.get_data(as_text=True)
    moved = client.get("/temas/salud/como-presentar-una-queja/")
    assert moved.status_code == 301
    assert moved.headers["Location"].endswith("/temas/servicios-juridicos/como-presentar-una-queja/")


def test_entity_page_lists_contacts_and_procedures(client, known):
    text = page_text(client.get("/entidades/registro-civil/"))
    for expected in ("Registro del Estado Civil (REC)", "Calle Maceo 12", "+53 48 000 001",
                     "registro@pinar.example.cu", "Inscripción de nacimiento"):
        assert expected in text
    assert "Vivienda" in page_text(client.get("/entidades/?municipio=vinales"))
    assert "Registro del Estado Civil" not in page_text(client.get("/entidades/?municipio=vinales"))


def test_news_are_paginated_newest_first_and_filtered(client, known):
    first = page_text(client.get("/noticias/"))
    assert "Noticia número 25" in first and "Noticia número 16" in first
    assert "Noticia número 15" not in first
    assert "Página 1 de 3" in first
    third = page_text(client.get("/noticias/?pagina=3"))
    assert "Noticia número 1 " in third + " "
    assert "Noticia número 25" in page_text(client.get("/noticias/?pagina=abc"))
    assert "Página 3 de 3" in page_text(client.get("/noticias/?pagina=999"))
    vinales = page_text(client.get("/noticias/?municipio=vinales&tema=salud"))
    assert "Noticia número 3 " in vinales and "Noticia número 9 " in vinales and "Noticia número 6 " not in vinales
    page_two = client.get("/noticias/?municipio=guane&pagina=1").get_data(as_text=True)
    assert "pagina=2" in page_two and "municipio=guane" in page_two


def test_markdown_is_published_without_scripts(client, known):
    html = client.get("/noticias/noticia-4/").get_data(as_text=True)
    assert "Texto de la noticia 4." in html
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" not in html


def test_expired_notices_leave_the_home_page_and_stay_in_the_archive(client, known):
    home = page_text(client.get("/"))
    assert "Corte de agua en Guane" in home and "Campaña de vacunación terminada" not in home
    notices = client.get("/avisos/").get_data(as_text=True)
    assert notices.index("Corte de agua en Guane") < notices.index("Archivo") < notices.index("Campaña de vacunación")
    assert "ya no está vigente" in page_text(client.get("/avisos/vacunacion-pasada/"))


def test_home_page_shows_notices_news_events_procedures_guides_and_topics(client, known):
    text = page_text(client.get("/"))
    for expected in ("Corte de agua en Guane", "Noticia número 25", "Serie de béisbol",
                     "Inscripción de nacimiento", "Tener un bebé", "Programas sociales"):
        assert expected in text
    assert text.index("Inscripción de nacimiento") < text.index("Licencia de construcción")
    assert "Concierto pasado" not in text


@pytest.mark.parametrize("path", [
    "/tramites/no-existe/", "/guias/no-existe/", "/entidades/no-existe/", "/noticias/no-existe/",
    "/avisos/no-existe/", "/eventos/no-existe/", "/temas/no-existe/", "/temas/salud/no-existe/",
    "/eventos/no-existe.ics", "/tramites/..%2f..%2fsite/",
])
def test_unknown_addresses_get_the_not_found_page(client, known, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Página no encontrada" in page_text(response)


def test_pages_have_titles_descriptions_and_open_graph_data(client, known):
    html = client.get("/tramites/inscripcion-de-nacimiento/").get_data(as_text=True)
    assert "<title>Inscripción de nacimiento · Pinar del Río</title>" in html
    assert '<meta name="description" content="Cómo inscribir a un recién nacido.">' in html
    assert '<meta property="og:title" content="Inscripción de nacimiento · Pinar del Río">' in html
    assert '<meta property="og:type" content="article">' in html
    assert 'rel="alternate" type="application/atom+xml" href="/feeds/noticias.atom"' in html


def test_new_content_appears_without_a_restart(app, client, known):
    assert "Trámite recién publicado" not in page_text(client.get("/tramites/"))
    with app.app_context():
        content.insert_document("procedures", {"slug": "nuevo", "title": {"es": "Trámite recién publicado"},
                                               "summary": {"es": "Nuevo"}, "topic": "salud"})
    assert "Trámite recién publicado" in page_text(client.get("/tramites/"))
