"""Every panel page in both languages, as the webmaster reaches it: axe-core finds nothing."""
import re
from typing import NamedTuple
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_panel_browser import FORM_PDF, PDF_TITLE, PHOTO_ALT, photo_jpeg
from tests.browser.test_participation_browser import WEBMASTER, post_in_tab
from tests.browser.test_requests_office_browser import fill_assisted_message
from tests.appointment_helpers import example_day_of
from tests.participation_helpers import hidden_fields, log_in, post_form, sent_code, submit_message
from tests.public_content import LANGUAGES
from tests.test_media import upload
from tests.request_helpers import minimal_pdf

pytestmark = [pytest.mark.browser, pytest.mark.slow]


class PanelContent(NamedTuple):
    """What the panel pages under test show: a message, a procedure with a history, published media, a
    document in the trash."""

    code: str
    procedure_editor: str
    image_page: str
    trashed: str


@pytest.fixture(scope="module")
def panel_content(live_app, webmaster):
    """Data for every panel page, made through the Flask test client (faster than a browser)."""
    app = live_app.app
    code = sent_code(submit_message(app.test_client()))
    client = app.test_client()
    log_in(app, client, WEBMASTER)
    for kind, payload, file_name, text in (("image", photo_jpeg(), "muelle.jpg", PHOTO_ALT),
                                           ("document", FORM_PDF, "solicitud.pdf", PDF_TITLE)):
        assert upload(client, kind, payload, file_name, text).status_code == 303, f"the {kind} is published"
    new = "/admin/contenido/procedures/nuevo"
    fields = {"title_es": "Inscripción en el registro de artesanos", "summary_es": "Para vender artesanía.",
              "steps": "Llene la planilla\nEntréguela", "accion": "guardar"}
    created = post_form(client, new, new, **fields)
    assert created.status_code == 303, created.get_data(as_text=True)[:300]
    editor = created.headers["Location"]
    changed = post_form(client, editor, editor, **dict(fields, steps="Llene la planilla en línea"))
    assert changed.status_code == 303
    media_pages = re.findall(r'href="(/admin/medios/[0-9a-f]{16}/)"', client.get("/admin/medios/").get_data(as_text=True))
    trashed = post_form(client, new, new, **dict(fields, title_es="Trámite retirado", accion="guardar"))
    assert post_form(client, trashed.headers["Location"], trashed.headers["Location"] + "papelera").status_code == 303
    return PanelContent(code, editor, media_pages[1], trashed.headers["Location"].split("/contenido/")[1])


def visit(path):
    """A page reached by a link; path may depend on the content."""
    def opener(tab, url, language, content):
        where = path(content) if callable(path) else path
        response = tab.goto(f"{url}{where}?lang={language}")
        assert urlparse(tab.url).path == where, f"{where} sent the tab to {tab.url}"  # not the login, say
        return response, 200
    return opener


def posted(path, button, status, fill=None, shows=None):
    """A page reached by posting a form of path (after filling in fields by their ids)."""
    def opener(tab, url, language, content):
        tab.goto(f"{url}{path}?lang={language}")
        for field_id, value in (fill or {}).items():
            tab.locator(f"#{field_id}").fill(value)
        response = post_in_tab(tab, button)
        assert urlparse(tab.url).path == path, f"the form of {path} sent the tab to {tab.url}"
        if shows:
            expect(tab.locator(shows).first).to_be_visible()
        return response, status
    return opener


def media_refused(tab, url, language, content):
    """The media page after an upload the portal refuses (the browser itself asks for the file and its text)."""
    tab.goto(f"{url}/admin/medios/?lang={language}")
    tab.locator("#imagen-archivo").set_input_files(
        files=[{"name": "foto.jpg", "mimeType": "image/jpeg", "buffer": b"esto no es una foto"}])
    tab.locator("#imagen-texto_alternativo").fill(PHOTO_ALT)
    response = post_in_tab(tab, 'main form[action$="/imagenes"] button[type=submit]')
    expect(tab.locator(".error-summary")).to_be_visible()
    return response, 400


def request_form(suffix="", status=200, post=None):
    """A page of the procedure's online form builder; the first visit builds and publishes a form in the tab.

    suffix may name the first question's key as {key}; post is a button to press on the page (a refused add).
    """
    def opener(tab, url, language, content):
        builder = "/admin/tramites/" + content.procedure_editor.rstrip("/").rsplit("/", 1)[1] + "/formulario"
        tab.goto(f"{url}{builder}?lang={language}")
        if tab.locator("ol.form-questions > li").count() == 0:
            tab.locator("#tipo").select_option("choice")
            tab.locator("#texto_es").fill("Estado civil")
            tab.locator("#opciones").fill("Soltero | Single\nCasado | Married")
            post_in_tab(tab, 'main form[action$="/nueva"] button[type=submit]')
            post_in_tab(tab, 'main form[action$="/publicar"] button[type=submit]')
        key = tab.locator("ol.form-questions > li").first.get_attribute("id").removeprefix("pregunta-")
        where = builder + suffix.format(key=key)
        response = tab.goto(f"{url}{where}?lang={language}")
        if post:
            response = post_in_tab(tab, post)
            expect(tab.locator(".error-summary")).to_be_visible()
        shown = where + "/nueva" if post else where  # a refused question comes back from the address it was sent to
        assert urlparse(tab.url).path == shown, f"{where} sent the tab to {tab.url}"
        return response, status
    return opener


NEW_PROCEDURE = "/admin/contenido/procedures/nuevo"
OFFICE_WITH_A_SPECIAL_DAY = {}  # the served portal's address -> the page of the office made for these tests


def office_page(tab, url):
    """The page of an office with one special day, made once per served portal with the tab's own session."""
    if url not in OFFICE_WITH_A_SPECIAL_DAY:
        new = f"{url}/admin/oficinas/nueva"
        fields = hidden_fields(tab.request.get(new).text())
        fields.update({"nombre_es": "Oficina de Identificación de Viñales", "municipio": "vinales",
                       "direccion": "Calle Salvador Cisneros 5", "tramites": "carne-identidad", "duracion": "15",
                       "puestos": "2", "desde_dias": "1", "hasta_dias": "30", "corte_horas": "12", "activa": "y",
                       "d1_1_inicio": "08:00", "d1_1_fin": "12:00", "d1_2_inicio": "13:00", "d1_2_fin": "16:00"})
        created = tab.request.post(new, form=fields)
        page = urlparse(created.url).path
        assert created.ok and page.startswith("/admin/oficinas/oficina-"), f"the office was not created ({page})"
        fields = hidden_fields(tab.request.get(f"{url}{page}").text())
        fields.update({"excepcion-fecha": "2026-12-25", "excepcion-cerrado": "y", "excepcion-nota_es": "Feriado"})
        assert tab.request.post(f"{url}{page}excepciones", form=fields).ok
        OFFICE_WITH_A_SPECIAL_DAY[url] = page
    return OFFICE_WITH_A_SPECIAL_DAY[url]


def at_office(suffix="", button=None):
    """A page of the office (suffix after its address), or the office page after posting one of its forms empty."""
    def opener(tab, url, language, content):
        where = office_page(tab, url) + suffix
        response = tab.goto(f"{url}{where}?lang={language}")
        if button is None:
            return response, 200
        response = post_in_tab(tab, button)
        expect(tab.locator(".error-summary")).to_be_visible()
        return response, 400
    return opener


def busy_day_sheet(tab, url, language, content):
    """The example office's day sheet of its next open day, where the example books two people."""
    tab.goto(f"{url}/admin/oficinas/carne-identidad-pinar-del-rio/dia/?lang={language}")
    response = tab.goto(url + tab.locator("a[rel=next]").get_attribute("href") + f"&lang={language}")
    expect(tab.locator("table.sheet tbody tr").first).to_be_visible()
    return response, 200


CLOSED_EXAMPLE_DAY = {}  # the served portal's address -> the example office's day closed for these tests


def appointments_to_settle(tab, url, language, content):
    """The example office's page after its next open day was closed: the booked appointments that no longer fit."""
    office = f"{url}/admin/oficinas/carne-identidad-pinar-del-rio/"
    if url not in CLOSED_EXAMPLE_DAY:  # once per served portal: the day stays closed
        day = example_day_of(lambda path: tab.request.get(url + path).text(), "Rosa Díaz (ejemplo)")
        fields = hidden_fields(tab.request.get(office).text())
        fields.update({"excepcion-fecha": day, "excepcion-cerrado": "y"})
        assert tab.request.post(office + "excepciones", form=fields).ok
        CLOSED_EXAMPLE_DAY[url] = day
    response = tab.goto(f"{office}?lang={language}")
    expect(tab.locator("#no-caben")).to_be_visible()
    return response, 200
def registered_request(tab, url):
    """The panel address of a request registered through the assisted entry in this tab (the first visit
    registers one; ids are the same in any language)."""
    tab.goto(f"{url}/admin/mensajes/?clase=solicitudes")
    links = tab.locator('main a[href^="/admin/solicitudes/"]')
    if links.count() == 0:
        tab.goto(f"{url}/admin/registrar/tramite/cambio-domicilio")
        tab.locator("#caso-canal").select_option("in_person")
        for field_id, value in {"q-carne": "85031512345", "q-nombre": "María Pérez", "q-fecha_mudanza": "2026-03-15",
                                "q-direccion_nueva-calle": "Calle Martí 12, entre Maceo y Gómez"}.items():
            tab.locator(f"#{field_id}").fill(value)
        tab.locator("#q-direccion_nueva-municipio").select_option("guane")
        tab.locator("#q-vivienda-1").check()
        tab.locator("#q-declaro").check()
        tab.locator("#q-documento").set_input_files({"name": "contrato.pdf", "mimeType": "application/pdf",
                                                     "buffer": minimal_pdf()})
        post_in_tab(tab, "main form.editor button[type=submit]")
        tab.goto(f"{url}/admin/mensajes/?clase=solicitudes")
    return links.first.get_attribute("href")


def at_request(suffix=""):
    """A request's page in the panel (suffix: "imprimir" for its sheet)."""
    def opener(tab, url, language, content):
        where = registered_request(tab, url) + suffix
        return tab.goto(f"{url}{where}?lang={language}"), 200
    return opener


def requests_inbox(tab, url, language, content):
    """The inbox showing requests only."""
    registered_request(tab, url)
    return tab.goto(f"{url}/admin/mensajes/?clase=solicitudes&lang={language}"), 200


def assisted_receipt(tab, url, language, content):
    """The receipt of a message the office registered, to print and hand over."""
    tab.goto(f"{url}/admin/registrar/mensaje?lang={language}")
    fill_assisted_message(tab, "phone")
    response = post_in_tab(tab, "main form.editor button[type=submit]")
    expect(tab.locator(".receipt")).to_be_visible()
    return response, 303


VISITOR_PANEL_PAGES = {
    "login": visit("/admin/login"),
    "login-failed": posted("/admin/login", "main form button[type=submit]", 400,
                           {"usuario": "nadie", "clave": "no es la clave"}, shows="main [role=alert]"),
}
WEBMASTER_PANEL_PAGES = {
    "inbox": visit("/admin/mensajes/"),
    "message": visit(lambda content: f"/admin/mensajes/{content.code}/"),
    "content-home": visit("/admin/contenido/"),
    "content-list": visit("/admin/contenido/procedures/"),
    "editor-new": visit(NEW_PROCEDURE),
    "editor-new-news": visit("/admin/contenido/news/nuevo"),
    "editor-existing": visit(lambda content: content.procedure_editor),
    "editor-with-errors": posted(NEW_PROCEDURE, "main form.editor button[value=guardar]", 400,
                                 shows=".error-summary"),
    "history": visit(lambda content: content.procedure_editor + "historial"),
    "media": visit("/admin/medios/"),
    "media-with-errors": media_refused,
    "media-item": visit(lambda content: content.image_page),
    "media-delete": visit(lambda content: content.image_page + "borrar"),
    "trash": visit("/admin/papelera/"),
    "trash-delete": visit(lambda content: "/admin/papelera/" + content.trashed + "borrar"),
    "accounts": visit("/admin/cuentas"),
    "accounts-with-errors": posted("/admin/cuentas", "main form[novalidate] button[type=submit]", 400,
                                   {"usuario": "Ana Pérez"}, shows=".error-summary"),
    "settings": visit("/admin/ajustes"),
    "settings-with-errors": posted("/admin/ajustes", "main form.editor button[type=submit]", 400,
                                   {"nombre_es": ""}, shows=".error-summary"),
    "password": visit("/admin/clave"),
    "password-with-errors": posted("/admin/clave", "main form[novalidate] button[type=submit]", 400,
                                   shows=".error-summary"),
    "backup": visit("/admin/copia-de-seguridad"),
    "audit-log": visit("/admin/registro"),
    "confirm": visit("/admin/confirmar"),
    "confirm-wrong-password": posted("/admin/confirmar", "main form[novalidate] button[type=submit]", 400,
                                     {"clave": "no es la clave"}, shows="main [role=alert]"),
    "offices": visit("/admin/oficinas/"),
    "office-new": visit("/admin/oficinas/nueva"),
    "office-new-with-errors": posted("/admin/oficinas/nueva", "main form.editor button[type=submit]", 400,
                                     {"d1_1_inicio": "12:00", "d1_1_fin": "08:00"}, shows=".error-summary"),
    "office": at_office(),
    "office-special-day-with-errors": at_office(button='main form[action$="/excepciones"] button[type=submit]'),
    "office-special-day-remove": at_office("excepciones/2026-12-25/quitar"),
    "request-form-builder": request_form(),
    "request-form-builder-with-errors": request_form(
        status=400, post='main form[action$="/nueva"] button[type=submit]'),
    "request-form-question": request_form("/preguntas/{key}"),
    "request-form-question-remove": request_form("/preguntas/{key}/quitar"),
    "request-form-preview": request_form("/vista-previa"),
    "request-form-version": request_form("/versiones/1"),
    "office-day-sheet-today": visit("/admin/oficinas/carne-identidad-pinar-del-rio/dia/"),
    "office-day-sheet-busy": busy_day_sheet,
    "office-appointments-to-settle": appointments_to_settle,
    "requests-inbox": requests_inbox,
    "request": at_request(),
    "request-print": at_request("imprimir"),
    "assisted-entry": visit("/admin/registrar/"),
    "assisted-message": visit("/admin/registrar/mensaje"),
    "assisted-message-with-errors": posted("/admin/registrar/mensaje", "main form.editor button[type=submit]", 400,
                                           shows=".error-summary"),
    "assisted-request": visit("/admin/registrar/tramite/cambio-domicilio"),
    "assisted-request-with-errors": posted("/admin/registrar/tramite/cambio-domicilio",
                                           "main form.editor button[type=submit]", 400, shows=".error-summary"),
    "assisted-receipt": assisted_receipt,
}


def check_panel_page(tab, opener, url, language, content, page_name):
    """Open a panel page the way the webmaster reaches it, and assert axe-core finds nothing on it."""
    response, status = opener(tab, url, language, content)
    assert response.status == status, f"{page_name} answered {response.status}, expected {status}"
    expect(tab.locator("html")).to_have_attribute("lang", language)
    expect(tab.locator("h1")).to_have_count(1)
    assert_no_axe_violations(tab, f"{page_name} ({language}, {tab.url})")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_name", VISITOR_PANEL_PAGES)
def test_panel_login_page_has_no_accessibility_violations(citizen_axe_tab, live_app, webmaster, page_name,
                                                          language):
    check_panel_page(citizen_axe_tab, VISITOR_PANEL_PAGES[page_name], live_app.url, language, None, page_name)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_name", WEBMASTER_PANEL_PAGES)
def test_panel_page_has_no_accessibility_violations(webmaster_axe_tab, live_app, panel_content, page_name,
                                                    language):
    check_panel_page(webmaster_axe_tab, WEBMASTER_PANEL_PAGES[page_name], live_app.url, language, panel_content,
                     page_name)
