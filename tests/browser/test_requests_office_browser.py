"""The office's side of online requests in a real browser with JavaScript off: the webmaster builds a form, a
citizen sends a request with a file, the office asks for more, the citizen adds a file, the office marks it ready;
then an assisted entry and its printed receipt. axe-core on the office's pages."""
import os
import re

import pytest
from playwright.sync_api import expect

from redpinar.store import content
from tests.browser.conftest import PASSWORD, assert_no_axe_violations, logged_in_axe_tab
from tests.browser.test_participation_browser import WEBMASTER, log_in_as_webmaster
from tests.browser.test_public_browser import printed_sheets
from tests.request_helpers import jpeg_bytes, minimal_pdf, send_request

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SLUG = "licencia-conduccion"


def fill_assisted_message(tab, channel):
    """Fill the office's form for a message received by channel (in_person, phone or letter)."""
    tab.locator("#canal").select_option(channel)
    tab.locator("#tipo").select_option("peticion")
    tab.locator("#tema").select_option(index=1)
    tab.locator("#municipio").select_option("guane")
    tab.locator("#asunto").fill("Arreglo de la calle")
    tab.locator("#mensaje").fill("La calle Martí tiene baches desde hace meses.")
    tab.locator("#nombre").fill("Pedro Gómez")


def fact(page, term):
    return page.locator(f'dt:text-is("{term}") + dd').first


def build_form(office, url, procedure_id):
    """The webmaster adds two questions (a name and a photo), publishes the form and opens the procedure online."""
    builder = f"{url}/admin/tramites/{procedure_id}/formulario"
    for kind, label in (("short_text", "Nombre completo"), ("file", "Foto tipo carné")):
        office.goto(builder)
        office.locator("#tipo").select_option(kind)
        office.locator("#texto_es").fill(label)
        office.locator("#obligatoria").check()
        office.locator('main form[action$="/nueva"] button[type=submit]').click()
        expect(office.locator("ol.form-questions")).to_contain_text(label)
    office.locator('main form[action$="/publicar"] button[type=submit]').click()
    office.goto(f"{url}/admin/contenido/procedures/{procedure_id}/")
    office.locator("#online").check()
    office.locator("main form.editor button[value=guardar]").click()
    expect(office.locator("main")).not_to_contain_text("Revise lo siguiente")


def follow_with_pin(citizen, url, code, pin):
    citizen.goto(url + "/seguimiento/")
    citizen.locator("#codigo").fill(code)
    citizen.locator("#pin").fill(pin)
    citizen.locator("main form button[type=submit]").click()


def test_office_handles_a_request_from_the_form_it_built_to_ready(page, new_device, live_app, webmaster, tmp_path,
                                                                   test_output):
    url = live_app.url
    photo, proof = tmp_path / "foto.jpg", tmp_path / "pago.pdf"
    photo.write_bytes(jpeg_bytes())
    proof.write_bytes(minimal_pdf("Comprobante de pago"))
    with live_app.app.app_context():
        procedure_id = content.find_documents("procedures", slug=SLUG)[0]["id"]
    office = page
    log_in_as_webmaster(office, url)
    build_form(office, url, procedure_id)

    citizen = new_device()
    citizen.goto(f"{url}/tramites/{SLUG}/")
    citizen.get_by_role("link", name="Solicitar en línea").click()
    citizen.get_by_label("Nombre completo").fill("Ana Díaz")
    citizen.get_by_label("Foto tipo carné").set_input_files(str(photo))
    citizen.get_by_role("button", name="Continuar y revisar").click()
    citizen.get_by_role("button", name="Enviar solicitud").click()
    code = fact(citizen, "Código de seguimiento").inner_text().strip()
    pin = fact(citizen, "PIN").inner_text().strip()

    office.goto(f"{url}/admin/mensajes/?clase=solicitudes&tramite={SLUG}")
    office.get_by_role("link", name=code).click()
    expect(fact(office, "Nombre completo")).to_have_text("Ana Díaz")
    expect(fact(office, "Foto tipo carné")).to_contain_text("foto.jpg")
    office.locator("#more_info-nota").fill("Falta el comprobante de pago.")
    office.get_by_role("button", name="Pedir más información").click()
    expect(fact(office, "Estado")).to_have_text("Necesitamos más información")
    # A move the request does not allow is not offered, and a post of it is refused with a reason.
    expect(office.get_by_role("button", name="Pasar a revisión")).to_have_count(1)

    follow_with_pin(citizen, url, code, pin)
    expect(citizen.locator("main")).to_contain_text("Falta el comprobante de pago.")
    citizen.get_by_label("Su respuesta").fill("Adjunto el comprobante.")
    citizen.get_by_label("Archivo (opcional)").set_input_files(str(proof))
    citizen.get_by_role("button", name="Enviar la información").click()
    expect(fact(citizen, "Estado")).to_have_text("En revisión")

    office.reload()
    expect(office.locator("main")).to_contain_text("pago.pdf")
    expect(fact(office, "Estado")).to_have_text("En revisión")
    office.locator("#ready-nota").fill("Recoja la licencia en la oficina.")
    office.get_by_role("button", name="Marcar como lista").click()
    expect(fact(office, "Estado")).to_have_text("Lista")
    expect(office.locator("ol.history")).to_contain_text(f"({WEBMASTER})")
    citizen.reload()
    expect(fact(citizen, "Estado")).to_have_text("Lista")
    expect(citizen.locator("main")).to_contain_text("Recoja la licencia en la oficina.")

    office.get_by_role("link", name="Imprimir en una hoja").click()
    office.emulate_media(media="print")
    expect(office.locator("nav.admin-bar")).to_have_count(0)
    expect(office.locator("main")).to_contain_text("Ana Díaz")
    for paper in ("A4", "Letter"):
        sheets = printed_sheets(office, os.path.join(test_output, f"request-for-the-file-{paper.lower()}.pdf"), paper)
        assert sheets == 1, f"the request for the paper file prints on {sheets} {paper} sheets, not one"


def test_assisted_entry_and_its_printed_receipt(page, new_device, live_app, webmaster, tmp_path, test_output):
    url = live_app.url
    document = tmp_path / "contrato.pdf"
    document.write_bytes(minimal_pdf())
    office = page
    log_in_as_webmaster(office, url)
    office.get_by_role("link", name="Registrar un caso recibido en persona, por teléfono o por carta").click()
    office.get_by_role("link", name=re.compile("Cambio de domicilio")).click()
    office.get_by_label("Cómo llegó").select_option("in_person")
    office.locator("#q-carne").fill("85031512345")
    office.locator("#q-nombre").fill("María Pérez")
    office.locator("#q-direccion_nueva-municipio").select_option("guane")
    office.locator("#q-direccion_nueva-calle").fill("Calle Martí 12, entre Maceo y Gómez")
    office.locator("#q-fecha_mudanza").fill("2026-03-15")
    office.locator("#q-vivienda-1").check()
    office.locator("#q-documento").set_input_files(str(document))
    office.locator("#q-declaro").check()
    office.get_by_role("button", name="Registrar y ver el comprobante").click()
    expect(office.get_by_role("heading", level=1)).to_have_text("Solicitud recibida")
    code = fact(office, "Código de seguimiento").inner_text().strip()
    pin = fact(office, "PIN").inner_text().strip()
    expect(fact(office, "Recibido por")).to_have_text("En persona")
    office.emulate_media(media="print")
    expect(office.locator("nav.admin-bar")).to_be_hidden()
    expect(office.locator(".office-actions").first).to_be_hidden()
    expect(fact(office, "PIN")).to_be_visible()
    for paper in ("A4", "Letter"):
        sheets = printed_sheets(office, os.path.join(test_output, f"assisted-receipt-{paper.lower()}.pdf"), paper)
        assert sheets == 1, f"the receipt to hand over prints on {sheets} {paper} sheets, not one"
    office.emulate_media(media="screen")

    citizen = new_device()
    follow_with_pin(citizen, url, code, pin)
    expect(citizen.locator("main")).to_contain_text("contrato.pdf")
    office.goto(f"{url}/admin/mensajes/?clase=solicitudes")
    expect(office.get_by_role("row", name=re.compile(code))).to_contain_text("En persona")


@pytest.mark.parametrize("language", ["es", "en"])
def test_office_pages_of_requests_have_no_accessibility_violations(browser, live_app, webmaster, tmp_path, language):
    url = live_app.url
    code, _ = send_request(live_app.app.test_client())
    tab = logged_in_axe_tab(browser, url, WEBMASTER, PASSWORD)
    try:
        tab.goto(f"{url}/admin/registrar/?lang={language}")
        assert_no_axe_violations(tab, "the assisted entry")
        tab.goto(f"{url}/admin/registrar/mensaje")
        assert_no_axe_violations(tab, "an assisted message")
        tab.locator("main form.editor button[type=submit]").click()
        expect(tab.locator(".error-summary")).to_be_visible()
        assert_no_axe_violations(tab, "an assisted message with errors")
        tab.goto(f"{url}/admin/registrar/tramite/cambio-domicilio")
        assert_no_axe_violations(tab, "an assisted request")
        tab.locator("main form.editor button[type=submit]").click()
        expect(tab.locator(".error-summary")).to_be_visible()
        assert_no_axe_violations(tab, "an assisted request with errors")
        tab.goto(f"{url}/admin/registrar/mensaje")
        fill_assisted_message(tab, "letter")
        tab.locator("main form.editor button[type=submit]").click()
        expect(tab.locator(".receipt")).to_be_visible()
        assert_no_axe_violations(tab, "the office's receipt")
        tab.goto(f"{url}/admin/mensajes/?clase=solicitudes")
        assert_no_axe_violations(tab, "the inbox's requests")
        tab.goto(f"{url}/admin/solicitudes/{code}/")
        assert_no_axe_violations(tab, "a request in the panel")
        tab.locator("#refused-nota").fill("")
        tab.get_by_role("button", name=re.compile("Rechazar|Refuse")).click()
        assert_no_axe_violations(tab, "a request after a refused move")
        tab.goto(f"{url}/admin/solicitudes/{code}/imprimir")
        assert_no_axe_violations(tab, "a request printed")
    finally:
        tab.context.close()
