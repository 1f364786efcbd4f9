"""The webmaster's settings, password, backups and audit log, and the fresh login they ask for."""
import io
import re
import json
import tarfile
import time

import pytest

from redpinar.store import audit
from tests.participation_helpers import PASSWORD, hidden_fields, log_in, post_form
from tests.test_pages import page_text


@pytest.fixture
def webmaster(app, client):
    """A logged-in webmaster's browser."""
    log_in(app, client)
    return client


@pytest.mark.parametrize("path", ["/admin/ajustes", "/admin/clave", "/admin/copia-de-seguridad", "/admin/registro"])
def test_settings_pages_send_strangers_to_the_login(client, path):
    assert "/admin/login" in client.get(path).headers["Location"]


def test_settings_refuse_colours_that_fail_contrast_naming_the_pair(app, webmaster):
    page = "/admin/ajustes"
    form = webmaster.get(page).get_data(as_text=True)
    colours = [line for line in form.split('id="colores"')[1].split(">", 1)[1].split("</textarea>")[0].splitlines()]
    changed = "\n".join("link = #9ab8d6" if line.startswith("link") else line for line in colours if line.strip())
    values = {**hidden_fields(form), **_form_values(form), "colores": changed}
    response = webmaster.post(page, data=values)
    assert response.status_code == 400
    assert ("El color «link» (#9ab8d6) sobre «background» (#ffffff) tiene un contraste de 2,06 a 1; un texto "
            "necesita al menos 4,5 a 1 (WCAG AA).") in page_text(response)
    with open(app.config["DATA_DIR"] + "/site.json", encoding="utf-8") as handle:
        assert json.load(handle)["colours"]["link"] != "#9ab8d6"


def _form_values(html):
    """The text inputs and textareas of a form page as {name: value}."""
    import re
    values = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*type="text"[^>]*value="([^"]*)"', html))
    values.update(re.findall(r'<input[^>]*id="[^"]*" name="([^"]+)" type="number" value="([^"]*)"', html))
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>\n?(.*?)</textarea>', html, flags=re.S):
        values[name] = text
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*type="number"[^>]*value="([^"]*)"', html):
        values[name] = value
    return {name: value.replace("&#39;", "'").replace("&amp;", "&") for name, value in values.items()}


def test_settings_save_a_new_name_that_the_public_pages_show(app, webmaster, client):
    form = webmaster.get("/admin/ajustes").get_data(as_text=True)
    values = {**hidden_fields(form), **_form_values(form), "nombre_es": "Gobierno de Pinar del Río (prueba)"}
    response = webmaster.post("/admin/ajustes", data=values)
    assert response.status_code == 303, page_text(response)[:500]
    assert "Gobierno de Pinar del Río (prueba)" in page_text(client.get("/"))


def test_password_change_needs_the_current_password(app, webmaster):
    wrong = post_form(webmaster, "/admin/clave", "/admin/clave", actual="otra cosa", nueva="una clave nueva larga",
                      repetida="una clave nueva larga")
    assert wrong.status_code == 400 and "La contraseña actual no es correcta." in page_text(wrong)
    right = post_form(webmaster, "/admin/clave", "/admin/clave", actual=PASSWORD, nueva="una clave nueva larga",
                      repetida="una clave nueva larga")
    assert right.status_code == 303
    with app.app_context():
        from redpinar.store.users import verify_password
        assert verify_password("webmaster", "una clave nueva larga") and not verify_password("webmaster", PASSWORD)


def test_sensitive_pages_ask_for_the_password_again_when_the_login_is_old(webmaster, monkeypatch):
    later = time.time() + 11 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    response = webmaster.get("/admin/ajustes")
    assert response.status_code == 302 and "/admin/confirmar" in response.headers["Location"]
    confirmed = post_form(webmaster, response.headers["Location"], response.headers["Location"], clave=PASSWORD)
    assert confirmed.headers["Location"].endswith("/admin/ajustes")
    assert webmaster.get("/admin/ajustes").status_code == 200


def test_webmaster_downloads_a_backup_that_holds_the_data(app, webmaster):
    response = post_form(webmaster, "/admin/copia-de-seguridad", "/admin/copia-de-seguridad")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    with tarfile.open(fileobj=io.BytesIO(response.get_data()), mode="r:gz") as archive:
        names = archive.getnames()
    assert any(name.endswith("site.json") for name in names)
    assert any(name.endswith("content/procedures.json") for name in names)
    assert webmaster.get("/admin/copia-de-seguridad").status_code == 200  # a GET only shows the button


def test_audit_log_shows_who_did_what_and_filters(app, webmaster):
    with app.app_context():
        audit.record("otra", "content-save", target="news/1")
    text = page_text(webmaster.get("/admin/registro"))
    assert "Entró al panel." in text and "Editó la noticia «1»." in text
    only_login = page_text(webmaster.get("/admin/registro?accion=login&quien=webmaster"))
    assert "Editó" not in only_login and "Entró al panel." in only_login


def test_a_new_logo_is_checked_shrunk_and_shown_in_the_header(app, webmaster, client):
    from PIL import Image
    picture = io.BytesIO()
    Image.new("RGB", (400, 300), (11, 90, 58)).save(picture, "JPEG")
    form = webmaster.get("/admin/ajustes").get_data(as_text=True)
    values = {**hidden_fields(form), **_form_values(form), "logo": (io.BytesIO(picture.getvalue()), "logo.jpg")}
    response = webmaster.post("/admin/ajustes", data=values, content_type="multipart/form-data")
    assert response.status_code == 303, page_text(response)[:400]
    logo_url = re.search(r'src="(/tema/logo-[0-9a-f]+\.png\?v=\w+)"', client.get("/").get_data(as_text=True)).group(1)
    logo = Image.open(io.BytesIO(client.get(logo_url).get_data()))
    assert max(logo.size) <= 96 and logo.format == "PNG"
    refused = webmaster.post("/admin/ajustes", data={**hidden_fields(form), **_form_values(form),
                                                     "logo": (io.BytesIO(b"<?php echo 1; ?>"), "logo.png")},
                             content_type="multipart/form-data")
    assert refused.status_code == 400 and "no es una imagen" in page_text(refused)
