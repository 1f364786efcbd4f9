"""The webmaster keeps the content current: create, edit, preview, publish, schedule, trash, history."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from redpinar.store import content
from tests.participation_helpers import hidden_fields, log_in
from tests.test_pages import page_text

NEWS = {"title_es": "Feria del libro en Guane", "title_en": "Book fair in Guane", "summary_es": "Del 2 al 5.",
        "body": "Libros **para todos**. <script>alert(1)</script> [x](javascript:alert(1))", "topic": "cultura",
        "municipality": "guane", "published": "2026-11-20T10:00", "accion": "guardar"}


@pytest.fixture
def webmaster(app, client):
    """A logged-in webmaster's browser."""
    log_in(app, client)
    return client


def save(client, path, **fields):
    """Post the edit form at path with its own hidden fields."""
    form = hidden_fields(client.get(path).get_data(as_text=True))
    return client.post(path, data=dict(form, **fields))


def create_news(client, **changes):
    response = save(client, "/admin/contenido/news/nuevo", **dict(NEWS, **changes))
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    return response.headers["Location"]


@pytest.mark.parametrize("path", ["/admin/contenido/", "/admin/contenido/news/", "/admin/contenido/news/nuevo"])
def test_content_pages_send_strangers_to_the_login(client, path):
    assert "/admin/login" in client.get(path).headers["Location"]


def test_webmaster_publishes_news_with_sanitised_markdown_and_a_slug_from_the_spanish_title(app, webmaster, client):
    create_news(webmaster)
    page = client.get("/noticias/feria-del-libro-en-guane/").get_data(as_text=True)
    assert "<strong>para todos</strong>" in page
    assert "<script>alert" not in page and "javascript:" not in page


def test_every_kind_of_content_has_a_working_editor(webmaster):
    for collection in ("topics", "entities", "procedures", "guides", "news", "notices", "events", "pages"):
        assert webmaster.get(f"/admin/contenido/{collection}/nuevo").status_code == 200
        assert webmaster.get(f"/admin/contenido/{collection}/").status_code == 200


def test_a_procedure_card_is_edited_field_by_field(app, webmaster, client):
    save(webmaster, "/admin/contenido/procedures/nuevo", title_es="Licencia de pesca", summary_es="Para pescar.",
         steps="Vaya a la oficina\nPague el sello", offices="Oficina de Pesca | Calle Real 3 | sandino | lunes",
         cost_cup="25", municipalities="", accion="guardar")
    text = page_text(client.get("/tramites/licencia-de-pesca/"))
    assert "Vaya a la oficina" in text and "Pague el sello" in text and "Oficina de Pesca" in text
    assert "25 CUP" in text and "Sandino" in text


def test_changing_a_slug_keeps_the_old_address_with_a_permanent_redirect(webmaster, client):
    edit = create_news(webmaster)
    save(webmaster, edit, **dict(NEWS, slug="feria-del-libro-2027"))
    moved = client.get("/noticias/feria-del-libro-en-guane/")
    assert moved.status_code == 301 and moved.headers["Location"].endswith("/noticias/feria-del-libro-2027/")


def test_two_documents_cannot_share_a_slug(webmaster):
    create_news(webmaster)
    response = save(webmaster, "/admin/contenido/news/nuevo", **NEWS)
    assert response.status_code == 400
    assert "Ya hay otro documento con esta dirección." in page_text(response)


def test_an_edit_made_elsewhere_is_shown_instead_of_overwritten(app, webmaster):
    edit = create_news(webmaster)
    form = hidden_fields(webmaster.get(edit).get_data(as_text=True))  # opened in one tab
    webmaster.post(edit, data=dict(form, **dict(NEWS, title_es="Cambio de la otra pestaña")))
    stale = webmaster.post(edit, data=dict(form, **dict(NEWS, title_es="Cambio tardío")))
    assert stale.status_code == 409
    assert "Alguien guardó este documento mientras usted lo editaba" in page_text(stale)
    assert 'value="Cambio tardío"' in stale.get_data(as_text=True)
    with app.app_context():
        assert content.all_documents("news")[-1]["title"]["es"] == "Cambio de la otra pestaña"


def test_preview_shows_the_page_as_published_without_saving_it(app, webmaster):
    response = save(webmaster, "/admin/contenido/news/nuevo", **dict(NEWS, accion="vista-previa"))
    assert response.status_code == 200
    assert "Vista previa" in page_text(response) and "<strong>para todos</strong>" in response.get_data(as_text=True)
    with app.app_context():
        assert not [n for n in content.all_documents("news") if n["slug"] == "feria-del-libro-en-guane"]


def test_drafts_and_scheduled_content_stay_off_the_public_site_until_their_time(webmaster, client):
    create_news(webmaster, draft="y")
    assert client.get("/noticias/feria-del-libro-en-guane/").status_code == 404
    havana_now = datetime.now(ZoneInfo("America/Havana"))  # the editor takes times in the province's zone
    later = (havana_now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    create_news(webmaster, title_es="Noticia programada", publish_at=later)
    assert client.get("/noticias/noticia-programada/").status_code == 404
    assert "Noticia programada" not in page_text(client.get("/noticias/"))
    earlier = (havana_now - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    create_news(webmaster, title_es="Noticia ya publicada", publish_at=earlier)
    assert client.get("/noticias/noticia-ya-publicada/").status_code == 200


def test_trash_hides_a_document_and_can_give_it_back(webmaster, client):
    edit = create_news(webmaster)
    token = hidden_fields(webmaster.get(edit).get_data(as_text=True))["csrf_token"]
    webmaster.post(edit + "papelera", data={"csrf_token": token})
    assert client.get("/noticias/feria-del-libro-en-guane/").status_code == 404
    webmaster.post(edit + "recuperar", data={"csrf_token": token})
    assert client.get("/noticias/feria-del-libro-en-guane/").status_code == 200


def test_every_save_keeps_the_previous_version_which_can_be_restored(webmaster, client):
    edit = create_news(webmaster)
    save(webmaster, edit, **dict(NEWS, body="Texto nuevo y equivocado"))
    history = webmaster.get(edit + "historial")
    assert "Texto nuevo y equivocado" in history.get_data(as_text=True)  # the diff shows what changed
    revision_form = [line for line in history.get_data(as_text=True).split('action="') if "/historial/" in line][0]
    action = revision_form.split('"')[0]
    token = hidden_fields(history.get_data(as_text=True))["csrf_token"]
    assert webmaster.post(action, data={"csrf_token": token}).status_code == 303
    assert "para todos" in page_text(client.get("/noticias/feria-del-libro-en-guane/"))


def test_content_actions_refuse_posts_without_the_form_token(webmaster):
    edit = create_news(webmaster)
    assert webmaster.post(edit + "papelera").status_code == 400
    assert webmaster.post(edit, data=dict(NEWS)).status_code == 400


def test_procedures_and_pages_past_their_review_date_are_listed_for_the_webmaster(webmaster):
    save(webmaster, "/admin/contenido/pages/nuevo", title_es="Horario de verano", body="Texto", topic="salud",
         reviewed="2024-01-10", review_period_days="180", accion="guardar")
    save(webmaster, "/admin/contenido/pages/nuevo", title_es="Página reciente", body="Texto", topic="salud",
         reviewed=datetime.now().strftime("%Y-%m-%d"), review_period_days="180", accion="guardar")
    text = page_text(webmaster.get("/admin/contenido/"))
    assert "Trámites y páginas que necesitan revisión" in text
    assert "Horario de verano" in text and "Página reciente" not in text
    assert "título de propiedad" in text.lower()  # an example procedure reviewed 390 days ago, every 365


def test_featured_procedures_come_first_on_the_home_page(app, webmaster, client):
    save(webmaster, "/admin/contenido/procedures/nuevo", title_es="Permiso de pesca deportiva", summary_es="Pescar.",
         popularity="0", featured="y", municipalities="", accion="guardar")
    text = page_text(client.get("/"))
    assert text.index("Permiso de pesca deportiva") < text.index("Carné de identidad")
