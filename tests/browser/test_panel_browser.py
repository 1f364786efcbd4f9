"""The webmaster's panel in a real browser without JavaScript: a working day from the login to the logout
(procedures with a PDF form, images, scheduled news, notices, history, the inbox, a backup). The
accessibility of every panel page is in test_panel_axe_browser.py."""
import os
import re
import tarfile
from datetime import datetime, timedelta
from urllib.parse import quote

import pytest
from babel.dates import format_date
from playwright.sync_api import expect

from tests.browser.test_participation_browser import fact, fill_complaint, log_in_as_webmaster
from tests.public_content import HAVANA
from tests.test_media import image_bytes, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FORM_PDF = pdf_bytes()  # a real one-page PDF, made by Pillow
PDF_TITLE = "Solicitud de licencia de pesca"
PHOTO_ALT = "Pescadores descargando langostas en el muelle de La Coloma"
PROCEDURE = {
    "title": "Licencia de pesca deportiva",
    "summary": "Permiso para pescar desde la costa o en embarcación de recreo en la provincia.",
    "steps": ["Llene la solicitud", "Pague el sello de 25 CUP en el banco", "Entregue todo en la oficina"],
    "office": "Oficina de Inspección Pesquera | Calle Martí 120 | pinar-del-rio | lunes a viernes, de 8:00 a 16:00",
}
SAVED = "Guardado."
MEDIA_ADDRESS = re.compile(r"\.(jpg|png|pdf)$")  # a file's public address, not the link to its page


def photo_jpeg():
    """An 800 × 600 JPEG made here with Pillow."""
    return image_bytes("JPEG", size=(800, 600))


def havana_minute(delta=timedelta(0)):
    """A moment in the province's time zone, as a datetime-local field takes it."""
    return (datetime.now(HAVANA) + delta).strftime("%Y-%m-%dT%H:%M")


def screenshot(page, test_output, name):
    """A full-page screenshot into test-output/, for people to look at."""
    page.screenshot(path=os.path.join(test_output, name), full_page=True)


@pytest.fixture
def office(page, live_app, webmaster):
    """The webmaster's browser (JavaScript off), logged in through the login form."""
    log_in_as_webmaster(page, live_app.url)
    return page


def open_editor(page, collection_name):
    """From the panel's menu: Contenido, the kind of content, then 'Crear'."""
    page.get_by_role("navigation", name="Panel").get_by_role("link", name="Contenido").click()
    page.locator("main").get_by_role("link", name=collection_name, exact=True).click()
    expect(page.locator("h1")).to_have_text(collection_name)
    page.get_by_role("link", name="Crear", exact=True).click()
    expect(page.locator("h1")).to_have_text("Crear")


def save_in_editor(page):
    """Press 'Guardar' and wait for the editor to come back with the document saved."""
    page.get_by_role("button", name="Guardar", exact=True).click()
    expect(page.get_by_role("status").filter(has_text=SAVED)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/admin/contenido/\w+/[0-9a-f]{16}/$"))


def fill_lines(page, label, lines):
    """Fill a one-item-per-line field."""
    page.get_by_label(label, exact=True).fill("\n".join(lines))


def open_in_portal(page):
    """Follow the editor's 'Ver en el portal' link to the public page."""
    page.get_by_role("link", name="Ver en el portal").click()
    expect(page).not_to_have_url(re.compile(r"/admin/"))


def upload_media(page, button, file_label, text_label, text, file_name, mime_type, payload):
    """Send one of the two upload forms of /admin/medios/; the published item's <li>."""
    page.get_by_role("navigation", name="Panel").get_by_role("link", name="Medios").click()
    expect(page).to_have_url(re.compile(r"/admin/medios/$"))
    page.get_by_label(file_label, exact=True).set_input_files(
        files=[{"name": file_name, "mimeType": mime_type, "buffer": payload}])
    page.get_by_label(text_label, exact=True).fill(text)
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("status").filter(has_text="publicad")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/admin/medios/#medio-[0-9a-f]{16}$"))
    media_id = page.url.rsplit("#medio-", 1)[1]
    return page.locator(f"#medio-{media_id}")


def test_webmaster_publishes_a_procedure_with_its_pdf_form_and_an_image(office, new_device, live_app, test_output):
    url = live_app.url
    # The PDF form first: its public address goes into the procedure.
    document = upload_media(office, "Subir documento", "Documento PDF", "Título", PDF_TITLE, "solicitud.pdf",
                            "application/pdf", FORM_PDF)
    expect(document.locator("strong")).to_have_text(PDF_TITLE)
    address = document.get_by_role("link", name=MEDIA_ADDRESS)
    shown_address, form_path = address.inner_text().strip(), address.get_attribute("href")
    assert re.fullmatch(r"/medios/[0-9a-f]{16}\.pdf", form_path), f"the PDF is published at {form_path!r}"
    assert shown_address == url + form_path, f"the page shows {shown_address!r} as the PDF's public address"

    # An image with its alternative text.
    photo = upload_media(office, "Subir imagen", "Imagen", "Texto alternativo", PHOTO_ALT, "muelle.jpg",
                         "image/jpeg", photo_jpeg())
    expect(photo.locator("strong")).to_have_text(PHOTO_ALT)
    thumbnail = photo.locator("img")
    expect(thumbnail).to_have_attribute("alt", "")  # the alt text is next to it, not repeated
    expect(thumbnail).to_have_js_property("naturalWidth", 320)
    expect(photo.get_by_label("HTML para insertar la imagen")).to_have_value(re.compile(f'alt="{PHOTO_ALT}"'))
    expect(photo.get_by_role("link", name=MEDIA_ADDRESS)).to_have_count(3)  # 320, 640 and 800 pixels wide
    screenshot(office, test_output, "admin-media-es.png")

    # The procedure, with the form's address copied from the media page.
    open_editor(office, "Trámites")
    office.get_by_label("Título (en español)", exact=True).fill(PROCEDURE["title"])
    office.get_by_label("Resumen en lenguaje claro (en español)", exact=True).fill(PROCEDURE["summary"])
    fill_lines(office, "Pasos, en orden (uno por línea)", PROCEDURE["steps"])
    fill_lines(office, "Oficinas: nombre | dirección | municipio | horario (una por línea)", [PROCEDURE["office"]])
    fill_lines(office, "Formularios: título | dirección del archivo (uno por línea)", [f"Solicitud | {form_path}"])
    save_in_editor(office)
    expect(office.locator("h1")).to_have_text(PROCEDURE["title"])
    expect(office.locator(".meta").filter(has_text="Estado:")).to_contain_text("Publicado")
    screenshot(office, test_output, "admin-editor-procedure-es.png")

    # A citizen reads it, and downloads the form.
    citizen = new_device()
    citizen.goto(url + "/tramites/")
    citizen.locator("main").get_by_role("link", name=PROCEDURE["title"]).click()
    expect(citizen).to_have_url(f"{url}/tramites/licencia-de-pesca-deportiva/")
    expect(citizen.locator("h1")).to_have_text(PROCEDURE["title"])
    expect(citizen.locator(".lead")).to_have_text(PROCEDURE["summary"])
    expect(citizen.locator("ol.steps > li")).to_have_text(PROCEDURE["steps"])
    expect(citizen.locator(".office h3")).to_have_text("Oficina de Inspección Pesquera")
    expect(citizen.locator(".office")).to_contain_text("Calle Martí 120, Pinar del Río")
    form_link = citizen.get_by_role("link", name="Solicitud", exact=True)
    expect(form_link).to_have_attribute("href", form_path)
    with citizen.expect_download() as downloading:
        form_link.click()
    download = downloading.value
    assert download.suggested_filename == "solicitud-de-licencia-de-pesca.pdf"
    with open(download.path(), "rb") as downloaded:
        assert downloaded.read() == FORM_PDF, "the form downloaded is not the PDF uploaded"


def test_webmaster_previews_a_procedure_in_a_new_tab_before_saving_it(office, live_app):
    open_editor(office, "Trámites")
    office.get_by_label("Título (en español)", exact=True).fill("Licencia de caza")
    office.get_by_label("Resumen en lenguaje claro (en español)", exact=True).fill("Para cazar en los cotos.")
    fill_lines(office, "Pasos, en orden (uno por línea)", ["Pida la licencia", "Pague el sello"])
    with office.context.expect_page() as opening, \
            office.context.expect_event("response", lambda response: response.request.method == "POST") as posted:
        office.get_by_role("button", name="Vista previa").click()
    preview = opening.value
    preview.wait_for_load_state()
    assert posted.value.status == 200, f"the preview answered {posted.value.status}"
    expect(preview.locator("h1")).to_have_text("Licencia de caza")
    expect(preview.locator("ol.steps > li")).to_have_text(["Pida la licencia", "Pague el sello"])
    assert office.goto(live_app.url + "/tramites/licencia-de-caza/").status == 404, "the preview saved it"


def test_webmaster_schedules_news_for_later_and_publishes_news_with_a_photo_now(office, new_device, live_app):
    url = live_app.url
    photo = upload_media(office, "Subir imagen", "Imagen", "Texto alternativo", PHOTO_ALT, "muelle.jpg",
                         "image/jpeg", photo_jpeg())
    photo_path = photo.get_by_role("link", name=MEDIA_ADDRESS).nth(1).get_attribute("href")  # the 640-pixel copy
    assert re.fullmatch(r"/medios/[0-9a-f]{16}-640\.jpg", photo_path), photo_path

    later, scheduled = havana_minute(timedelta(days=2)), "Concierto de la Orquesta de Cámara en el Teatro Milanés"
    open_editor(office, "Noticias")
    office.get_by_label("Título (en español)", exact=True).fill(scheduled)
    office.get_by_label("Texto", exact=True).fill("La orquesta toca **a Lecuona** el sábado.")
    office.get_by_label("Fecha de la noticia", exact=True).fill(later)
    office.get_by_label("Publicar a partir de (opcional)", exact=True).fill(later)
    save_in_editor(office)
    expect(office.locator(".meta").filter(has_text="Estado:")).to_contain_text("Programado")
    scheduled_editor = office.url

    now, published = havana_minute(), "Llegó la langosta al muelle de La Coloma"
    open_editor(office, "Noticias")
    office.get_by_label("Título (en español)", exact=True).fill(published)
    office.get_by_label("Resumen (en español)", exact=True).fill("La primera captura de la temporada.")
    office.get_by_label("Texto", exact=True).fill(f"Buena temporada.\n\n![{PHOTO_ALT}]({photo_path})")
    office.get_by_label("Fecha de la noticia", exact=True).fill(now)
    save_in_editor(office)
    expect(office.locator(".meta").filter(has_text="Estado:")).to_contain_text("Publicado")

    citizen = new_device()
    citizen.goto(url + "/noticias/")
    news_list = citizen.locator("main .card-list")
    expect(news_list.get_by_role("link", name=published, exact=True)).to_have_count(1)
    expect(news_list).not_to_contain_text(scheduled)
    assert citizen.goto(url + "/noticias/concierto-de-la-orquesta-de-camara-en-el-teatro-milanes/").status == 404
    citizen.goto(url + "/noticias/")
    citizen.get_by_role("link", name=published).click()
    expect(citizen.locator("h1")).to_have_text(published)
    image = citizen.get_by_role("img", name=PHOTO_ALT)
    expect(image).to_have_attribute("src", photo_path)
    expect(image).to_have_js_property("naturalWidth", 640)

    # The scheduled item's public page answers 404 until its time: its editor must not link to it.
    office.goto(scheduled_editor)
    expect(office.get_by_role("link", name="Ver en el portal"),
           "the editor of a scheduled item links to its public page, which answers 404").to_have_count(0)


def test_webmaster_adds_an_event_and_the_portal_shows_the_hour_typed(office, new_device, live_app):
    day = (datetime.now(HAVANA) + timedelta(days=7)).date()
    title = "Peña de son en el Parque de la Independencia"
    open_editor(office, "Eventos")
    office.get_by_label("Título (en español)", exact=True).fill(title)
    office.get_by_label("Categoría", exact=True).select_option(label="Cultura")
    office.get_by_label("Empieza", exact=True).fill(f"{day.isoformat()}T20:00")
    office.get_by_label("Termina", exact=True).fill(f"{day.isoformat()}T23:00")
    office.get_by_label("Lugar", exact=True).fill("Parque de la Independencia")
    office.get_by_label("Municipio", exact=True).select_option(label="Pinar del Río")
    save_in_editor(office)
    expect(office.get_by_label("Empieza", exact=True)).to_have_value(f"{day.isoformat()}T20:00")

    citizen = new_device()
    citizen.goto(live_app.url + "/eventos/pena-de-son-en-el-parque-de-la-independencia/")
    expect(citizen.locator("h1")).to_have_text(title)
    when = fact(citizen, "Cuándo")
    expect(when).to_contain_text(format_date(day, "long", locale="es"))
    expect(when, "the portal shows another hour than the webmaster typed").to_contain_text("20:00")
    expect(when).to_contain_text("23:00")
    expect(fact(citizen, "Dónde")).to_have_text("Parque de la Independencia, Pinar del Río")


def test_webmaster_renames_a_notice_and_the_portal_shows_the_new_title(office, new_device, live_app):
    office.get_by_role("navigation", name="Panel").get_by_role("link", name="Contenido").click()
    office.locator("main").get_by_role("link", name="Avisos", exact=True).click()
    first_notice = office.locator("table tbody tr").first.get_by_role("link")
    old_title = first_notice.inner_text().strip()
    first_notice.click()
    expect(office.locator("h1")).to_have_text(old_title)
    new_title = "Aviso corregido: " + old_title
    office.get_by_label("Título (en español)", exact=True).fill(new_title)
    save_in_editor(office)
    expect(office.locator("h1")).to_have_text(new_title)
    open_in_portal(office)
    expect(office.locator("h1")).to_have_text(new_title)

    citizen = new_device()
    citizen.goto(live_app.url + "/avisos/")
    expect(citizen.locator("main")).to_contain_text(new_title)
    expect(citizen.locator("main").get_by_role("link", name=old_title, exact=True)).to_have_count(0)


def test_webmaster_changes_a_procedure_and_restores_the_earlier_version_from_its_history(
        office, new_device, live_app, test_output):
    title, old_steps = "Permiso de poda de árboles", ["Pida el permiso en la oficina", "Espere al inspector"]
    new_steps = ["Pida el permiso por teléfono"]
    open_editor(office, "Trámites")
    office.get_by_label("Título (en español)", exact=True).fill(title)
    office.get_by_label("Resumen en lenguaje claro (en español)", exact=True).fill("Para podar un árbol de la calle.")
    fill_lines(office, "Pasos, en orden (uno por línea)", old_steps)
    save_in_editor(office)
    editor_url = office.url
    fill_lines(office, "Pasos, en orden (uno por línea)", new_steps)
    save_in_editor(office)

    citizen = new_device()
    public_url = live_app.url + "/tramites/permiso-de-poda-de-arboles/"
    citizen.goto(public_url)
    expect(citizen.locator("ol.steps > li")).to_have_text(new_steps)

    office.get_by_role("link", name="Historial").click()
    expect(office.locator("h1")).to_have_text(f"Historial de «{title}»")
    revisions = office.locator("section.revision")
    expect(revisions).to_have_count(1)
    diff = revisions.get_by_role("region", name="Versión 1 Pasos, en orden (uno por línea)")
    expect(diff).to_contain_text(f"- {old_steps[0]}")
    expect(diff).to_contain_text(f"- {old_steps[1]}")
    expect(diff).to_contain_text(f"+ {new_steps[0]}")
    expect(revisions.locator("pre.diff")).to_have_count(1)  # only the field that changed
    diff.focus()  # reachable with the keyboard, for scrolling a long change
    expect(diff).to_be_focused()
    screenshot(office, test_output, "admin-history-es.png")
    revisions.get_by_role("button", name="Recuperar esta versión").click()
    expect(office.get_by_role("status").filter(has_text="Versión recuperada.")).to_be_visible()
    expect(office).to_have_url(editor_url)
    expect(office.get_by_label("Pasos, en orden (uno por línea)", exact=True)).to_have_value("\n".join(old_steps))

    citizen.reload()
    expect(citizen.locator("ol.steps > li")).to_have_text(old_steps)
    office.get_by_role("link", name="Historial").click()
    expect(revisions).to_have_count(2)  # the version replaced by the restore can come back too


def test_webmaster_answers_a_message_a_citizen_sent(office, new_device, live_app):
    citizen = new_device()
    citizen.goto(live_app.url + "/participa/")
    fill_complaint(citizen, subject="Salidero de agua en la calle Gerardo Medina")
    citizen.get_by_role("button", name="Enviar mensaje").click()
    expect(citizen.locator("h1")).to_have_text("Mensaje recibido")
    code = fact(citizen, "Código de seguimiento").inner_text().strip()

    office.reload()  # the inbox, opened before the message came
    office.locator("table.inbox").get_by_role("link", name=code, exact=True).click()
    expect(office.locator("h1")).to_have_text("Salidero de agua en la calle Gerardo Medina")
    office.get_by_label("Respuesta", exact=True).fill("Aguas de Pinar irá **el martes**.")
    office.get_by_role("button", name="Enviar respuesta").click()
    expect(office.get_by_role("status").filter(has_text="Hecho.")).to_be_visible()
    expect(fact(office, "Estado")).to_have_text("Respondido")


def test_settings_without_the_province_name_say_so_in_spanish(office, live_app):
    office.get_by_role("navigation", name="Panel").get_by_role("link", name="Ajustes").click()
    expect(office.locator("h1")).to_have_text("Ajustes de la provincia")
    office.get_by_label("Nombre (español)", exact=True).fill("")
    with office.expect_response(lambda response: response.request.method == "POST") as posted:
        office.get_by_role("button", name="Guardar los ajustes").click()
    assert posted.value.status == 400
    errors = office.locator(".error-summary").get_by_role("link")
    expect(errors).to_have_count(1)
    expect(errors).to_have_attribute("href", "#nombre_es")
    expect(errors, "the Spanish panel answers with WTForms' English default").not_to_have_text(
        re.compile("This field is required"))


def test_webmaster_downloads_a_backup_then_logs_out_and_the_panel_is_closed(office, live_app):
    url = live_app.url
    office.get_by_role("navigation", name="Panel").get_by_role("link", name="Copia de seguridad").click()
    expect(office.locator("h1")).to_have_text("Copia de seguridad")
    with office.expect_download() as downloading:
        office.get_by_role("button", name="Descargar una copia de seguridad").click()
    download = downloading.value
    assert re.fullmatch(r"redpinar-\d{4}-\d{2}-\d{2}\.tar\.gz", download.suggested_filename), \
        download.suggested_filename
    with open(download.path(), "rb") as archive_file:
        assert archive_file.read(2) == b"\x1f\x8b", "the backup is not gzip-compressed"
    with tarfile.open(download.path(), mode="r:gz") as archive:
        names = archive.getnames()
    assert "site.json" in names, f"the backup holds no site.json: {names[:20]}"

    office.get_by_role("button", name="Salir").click()
    expect(office).to_have_url(url + "/")
    office.goto(url + "/admin/mensajes/")
    expect(office).to_have_url(f"{url}/admin/login?next={quote('/admin/mensajes/', safe='')}")
    expect(office.locator("h1")).to_have_text("Entrar al panel")
    expect(office.get_by_role("navigation", name="Panel")).to_have_count(0)
