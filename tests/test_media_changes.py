"""The webmaster changes what the media library holds: the text, a new file under the same addresses,
and deleting an item that nothing uses (refused, naming where, while something does)."""
import io
import os
from datetime import datetime

import pytest
from PIL import Image

from redpinar.store import audit
from redpinar.store.site import load_site, save_site
from tests.participation_helpers import hidden_fields, log_in, post_form
from tests.test_content_editing import create_news
from tests.test_media import (NOT_A_PDF, NOT_AN_IMAGE, image_bytes, pdf_bytes, photo_with_gps, published,
                              upload, uploaded_files, zip_bytes)
from tests.test_pages import page_text


@pytest.fixture
def webmaster(app, client):
    """The test client, logged in as the webmaster."""
    log_in(app, client)
    return client


def publish(app, client, kind="image", payload=None, text="Muelle de La Coloma"):
    """Upload one item; the stored record."""
    payload = payload or (image_bytes() if kind == "image" else pdf_bytes())
    assert upload(client, kind, payload, "archivo.jpg" if kind == "image" else "a.pdf", text).status_code == 303
    return published(app)[0]


def replace(client, item, payload, file_name="nueva.jpg"):
    page = f"/admin/medios/{item['id']}/"
    data = hidden_fields(client.get(page).get_data(as_text=True))
    data["sustituir-archivo"] = (io.BytesIO(payload), file_name)
    return client.post(page + "sustituir", data=data, content_type="multipart/form-data")


def audit_actions(app):
    with app.app_context():
        return [(entry["action"], entry["target"]) for entry in audit.recent(datetime.now().strftime("%Y-%m"))]


def test_each_item_of_the_library_links_to_its_own_page(app, webmaster):
    item = publish(app, webmaster)
    assert f'href="/admin/medios/{item["id"]}/"' in webmaster.get("/admin/medios/").get_data(as_text=True)
    assert webmaster.get(f"/admin/medios/{item['id']}/").status_code == 200
    assert webmaster.get("/admin/medios/0123456789abcdef/").status_code == 404


def test_media_in_use_is_not_deleted_and_the_refusal_names_where(app, webmaster, data_dir):
    item = publish(app, webmaster)
    create_news(webmaster, body=f"La langosta.\n\n![Muelle](/medios/{item['files'][1]['name']})")
    page = f"/admin/medios/{item['id']}/borrar"
    asked = page_text(webmaster.get(page))
    assert "Se usa en 1 sitio, así que no se puede borrar: Noticias: Feria del libro en Guane" in asked
    refused = post_form(webmaster, f"/admin/medios/{item['id']}/", page)
    assert refused.status_code == 409
    assert "Noticias: Feria del libro en Guane" in page_text(refused)
    assert 'href="/admin/contenido/news/' in refused.get_data(as_text=True)  # a link to fix it
    assert published(app) and uploaded_files(data_dir)


def test_a_link_from_content_in_the_trash_or_the_logo_also_keeps_an_item(app, webmaster):
    document = publish(app, webmaster, "document", text="Bando")
    edit = create_news(webmaster, body=f"[El bando](/medios/{document['files'][0]['name']})")
    token = hidden_fields(webmaster.get(edit).get_data(as_text=True))["csrf_token"]
    webmaster.post(edit + "papelera", data={"csrf_token": token})
    assert "Feria del libro en Guane (en la papelera)" in page_text(
        webmaster.get(f"/admin/medios/{document['id']}/borrar"))
    image = publish(app, webmaster)
    with app.app_context():
        save_site(dict(load_site(), logo=image["files"][0]["name"]))
    assert "Ajustes: Ajustes de la provincia" in page_text(webmaster.get(f"/admin/medios/{image['id']}/borrar"))


def test_an_unused_item_is_deleted_with_its_files_after_a_confirmation(app, webmaster, data_dir):
    client = app.test_client()  # a visitor
    item = publish(app, webmaster)
    name = item["files"][0]["name"]
    page = f"/admin/medios/{item['id']}/borrar"
    asked = webmaster.get(page)
    assert asked.status_code == 200 and "¿Borrar «Muelle de La Coloma»?" in page_text(asked)
    assert client.get(f"/medios/{name}").status_code == 200  # asking deletes nothing
    assert webmaster.post(page).status_code == 400  # not without the form's token
    deleted = post_form(webmaster, page, page)
    assert deleted.status_code == 303 and deleted.headers["Location"].endswith("/admin/medios/")
    assert published(app) == [] and uploaded_files(data_dir) == []
    assert client.get(f"/medios/{name}").status_code == 404
    assert ("media-delete", item["id"]) in audit_actions(app)


def test_a_replaced_image_keeps_its_addresses_and_is_cleaned_and_resized_like_an_upload(app, webmaster):
    client = app.test_client()  # a visitor
    item = publish(app, webmaster)  # red and blue, 2000 × 1500
    names = [file["name"] for file in item["files"]]
    before = client.get(f"/medios/{names[1]}")
    response = replace(webmaster, item, photo_with_gps())  # a camera photo, turned, with GPS
    assert response.status_code == 303
    [changed] = published(app)
    assert [file["name"] for file in changed["files"]] == names
    assert [(file["width"], file["height"]) for file in changed["files"]] == [(320, 427), (640, 853), (1024, 1365)]
    assert changed["alt"] == item["alt"] and changed["replaced"]
    served = client.get(f"/medios/{names[1]}")
    assert served.status_code == 200 and served.get_data() != before.get_data()
    assert b"Exif" not in served.get_data() and b"CamaraEspia" not in served.get_data()
    with Image.open(io.BytesIO(served.get_data())) as picture:
        assert picture.size == (640, 853)  # upright, as the camera held it
    # Visitors who kept the old copy ask again within the hour and get the new one.
    assert served.headers["Cache-Control"] == "public, max-age=3600"
    assert served.headers["ETag"] != before.headers["ETag"]
    assert ("media-replace", item["id"]) in audit_actions(app)


def test_a_replacement_of_another_kind_or_a_broken_file_is_refused_and_nothing_changes(app, webmaster, data_dir):
    image = publish(app, webmaster)
    document = publish(app, webmaster, "document", text="Bando")
    files_before = {name: open(os.path.join(data_dir, "uploads", name), "rb").read() for name in uploaded_files(data_dir)}
    refused = replace(webmaster, image, pdf_bytes(), "bando.pdf")
    assert refused.status_code == 400 and NOT_AN_IMAGE in page_text(refused)
    refused = replace(webmaster, document, zip_bytes(), "factura.zip")
    assert refused.status_code == 400 and NOT_A_PDF in page_text(refused)
    assert {name: open(os.path.join(data_dir, "uploads", name), "rb").read()
            for name in uploaded_files(data_dir)} == files_before


def test_a_replaced_document_keeps_its_address(app, webmaster):
    client = app.test_client()  # a visitor
    document = publish(app, webmaster, "document", text="Bando")
    new_pdf = image_bytes("PDF", size=(300, 300))
    assert replace(webmaster, document, new_pdf, "bando-nuevo.pdf").status_code == 303
    assert client.get(f"/medios/{document['id']}.pdf").get_data() == new_pdf


def test_the_alternative_text_is_edited_and_never_left_empty(app, webmaster):
    item = publish(app, webmaster)
    page = f"/admin/medios/{item['id']}/"
    changed = post_form(webmaster, page, page + "texto", **{"texto-texto": "Barcos en el muelle de La Coloma"})
    assert changed.status_code == 303
    assert published(app)[0]["alt"] == "Barcos en el muelle de La Coloma"
    assert "<strong>Barcos en el muelle de La Coloma</strong>" in webmaster.get("/admin/medios/").get_data(as_text=True)
    empty = post_form(webmaster, page, page + "texto", **{"texto-texto": "  "})
    assert empty.status_code == 400 and "Escriba el texto: nunca puede quedar vacío." in page_text(empty)
    assert published(app)[0]["alt"] == "Barcos en el muelle de La Coloma"
    assert ("media-text", item["id"]) in audit_actions(app)


@pytest.mark.parametrize("action", ["texto", "sustituir", "borrar"])
def test_media_changes_need_the_login_and_the_form_token(app, webmaster, action):
    item = publish(app, webmaster)
    stranger = app.test_client()
    token = hidden_fields(stranger.get("/admin/login").get_data(as_text=True))["csrf_token"]
    refused = stranger.post(f"/admin/medios/{item['id']}/{action}", data={"csrf_token": token})
    assert refused.status_code == 302 and "/admin/login" in refused.headers["Location"]
    assert webmaster.post(f"/admin/medios/{item['id']}/{action}").status_code == 400
