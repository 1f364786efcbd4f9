"""A document's history reads like a list of changes, field by field, with who and when; the bin gives
deleted content back or deletes it for good."""
import re
from datetime import datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date

from redpinar.store import audit, content
from redpinar.store.editing import revisions
from tests.participation_helpers import hidden_fields, log_in, post_form
from tests.test_content_editing import NEWS, create_news, save
from tests.test_pages import page_text


@pytest.fixture
def webmaster(app, client):
    """A logged-in webmaster's browser."""
    log_in(app, client)
    return client


def diff_boxes(html):
    """{field label: the text of its diff box} of a history page's first version."""
    boxes = re.findall(r'<h3 class="diff-field" id="([^"]+)">([^<]+)</h3>\s*<pre ([^>]*)>(.*?)</pre>', html, re.S)
    return {unescape(label): (attributes, unescape(re.sub(r"<[^>]+>", "", body))) for _id, label, attributes, body in boxes}


def audit_actions(app):
    with app.app_context():
        return [(entry["action"], entry["target"], entry.get("title"))
                for entry in audit.recent(datetime.now().strftime("%Y-%m"))]


def test_history_shows_one_diff_per_changed_field_with_its_label_and_line_breaks_as_lines(webmaster):
    edit = create_news(webmaster, body="Primera línea\r\nSegunda línea\r\nTercera línea")
    save(webmaster, edit, **dict(NEWS, body="Primera línea\r\nOtra segunda\r\nTercera línea", title_es="Feria nueva"))
    html = webmaster.get(edit + "historial").get_data(as_text=True)
    assert "\\r\\n" not in html and "\r" not in html
    boxes = diff_boxes(html)
    # unchanged fields are not shown; the address follows the new title
    assert set(boxes) == {"Texto", "Título (en español)", "Dirección (slug)"}
    body = boxes["Texto"][1].splitlines()
    assert "Quitado: - Segunda línea" in body and "Añadido: + Otra segunda" in body
    assert "  Primera línea" in body and "  Tercera línea" in body  # the lines around, as lines
    assert "Quitado: - Feria del libro en Guane" in boxes["Título (en español)"][1]


def test_the_diff_boxes_can_be_reached_with_the_keyboard_and_are_named(webmaster):
    edit = create_news(webmaster)
    save(webmaster, edit, **dict(NEWS, body="Otro texto", summary_es="Otro resumen"))
    html = webmaster.get(edit + "historial").get_data(as_text=True)
    boxes = diff_boxes(html)
    assert len(boxes) == 2
    for label, (attributes, _text) in boxes.items():
        assert 'tabindex="0"' in attributes and 'role="region"' in attributes
        named_by = re.search(r'aria-labelledby="([^"]+)"', attributes).group(1).split()
        names = [unescape(re.search(rf'id="{name}">([^<]+)<', html).group(1)) for name in named_by]
        assert names == ["Versión 1", label]


def test_each_version_says_when_it_was_written_in_the_provinces_time_and_by_which_account(app, client):
    first, second = app.test_client(), app.test_client()
    log_in(app, first, "webmaster")
    log_in(app, second, "ana.perez")
    edit = create_news(first)
    save(second, edit, **dict(NEWS, body="Corregido por Ana"))
    text = page_text(second.get(edit + "historial"))
    with app.app_context():
        [document] = [news for news in content.all_documents("news") if news["slug"] == "feria-del-libro-en-guane"]
        [revision] = revisions("news", document["id"])

    def in_words(stamp):
        moment = datetime.fromisoformat(stamp).astimezone(ZoneInfo("America/Havana"))
        return f"{format_date(moment.date(), 'long', locale='es')} a las {moment.hour}:{moment:%M} (hora de Cuba)"
    assert f"Versión actual (2), escrita el {in_words(document['updated'])} por ana.perez (webmaster)." in text
    assert f"Versión 1 Escrita el {in_words(revision['snapshot']['updated'])} por webmaster (webmaster)." in text


def trash(client, edit):
    token = hidden_fields(client.get(edit).get_data(as_text=True))["csrf_token"]
    assert client.post(edit + "papelera", data={"csrf_token": token}).status_code == 303


def test_the_bin_is_in_the_panel_menu_and_lists_deleted_items_of_every_kind(webmaster):
    news = create_news(webmaster)
    page = save(webmaster, "/admin/contenido/pages/nuevo", title_es="Horario de verano", body="Texto",
                topic="salud", accion="guardar").headers["Location"]
    trash(webmaster, news)
    trash(webmaster, page)
    menu = webmaster.get("/admin/contenido/").get_data(as_text=True).split('aria-label="Panel"')[1].split("</nav>")[0]
    assert 'href="/admin/papelera/"' in menu
    text = page_text(webmaster.get("/admin/papelera/"))
    assert "2 documentos en la papelera" in text
    assert "Feria del libro en Guane Noticias" in text and "Horario de verano Páginas" in text


def test_the_bin_gives_an_item_back_as_it_was(app, webmaster, client):
    edit = create_news(webmaster)
    trash(webmaster, edit)
    document_id = edit.rstrip("/").rsplit("/", 1)[1]
    restored = post_form(webmaster, "/admin/papelera/", f"/admin/papelera/news/{document_id}/recuperar")
    assert restored.status_code == 303 and restored.headers["Location"].endswith("/admin/papelera/")
    assert client.get("/noticias/feria-del-libro-en-guane/").status_code == 200
    assert "La papelera está vacía." in page_text(webmaster.get("/admin/papelera/"))
    assert ("content-recuperar", f"news/{document_id}", "Feria del libro en Guane") in audit_actions(app)


def test_deleting_for_good_asks_first_then_removes_the_item_and_its_versions(app, webmaster, client):
    edit = create_news(webmaster)
    save(webmaster, edit, **dict(NEWS, body="Segunda versión"))
    trash(webmaster, edit)
    document_id = edit.rstrip("/").rsplit("/", 1)[1]
    confirm = f"/admin/papelera/news/{document_id}/borrar"
    asked = webmaster.get(confirm)
    assert asked.status_code == 200 and "¿Borrar «Feria del libro en Guane» para siempre?" in page_text(asked)
    with app.app_context():
        assert content.find_documents("news", id=document_id)  # asking deleted nothing
    deleted = post_form(webmaster, confirm, confirm)
    assert deleted.status_code == 303
    with app.app_context():
        assert content.find_documents("news", id=document_id) == []
        assert revisions("news", document_id) == []
    assert webmaster.get(edit).status_code == 404
    assert client.get("/noticias/feria-del-libro-en-guane/").status_code == 404
    assert ("content-delete-for-good", f"news/{document_id}", "Feria del libro en Guane") in audit_actions(app)
    assert "Borró para siempre la noticia «Feria del libro en Guane»." in page_text(webmaster.get("/admin/registro"))


def test_only_items_in_the_trash_are_deleted_for_good_and_only_by_a_post_with_its_token(app, webmaster):
    edit = create_news(webmaster)
    document_id = edit.rstrip("/").rsplit("/", 1)[1]
    confirm = f"/admin/papelera/news/{document_id}/borrar"
    assert webmaster.get(confirm).status_code == 404  # not in the trash
    token = hidden_fields(webmaster.get(edit).get_data(as_text=True))["csrf_token"]
    assert webmaster.post(confirm, data={"csrf_token": token}).status_code == 404
    trash(webmaster, edit)
    assert webmaster.post(confirm).status_code == 400
    with app.app_context():
        assert content.find_documents("news", id=document_id)


@pytest.mark.parametrize("path", ["/admin/papelera/", "/admin/papelera/news/0123456789abcdef/borrar"])
def test_the_bin_sends_strangers_to_the_login(client, path):
    assert "/admin/login" in client.get(path).headers["Location"]
