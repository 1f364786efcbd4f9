"""An online request without JavaScript: the form with a file, the check page, the receipt, and more information
asked by the office and given by the citizen; axe-core on every page of the journey, in both languages."""
import os
import re

import pytest
from playwright.sync_api import expect

from redpinar.store.requests import set_status
from tests.browser.conftest import _run_preloaded_axe, new_axe_tab
from tests.browser.test_public_browser import printed_sheets
from tests.language import english
from tests.request_helpers import minimal_pdf, jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PROCEDURE = "/tramites/cambio-domicilio/"


def fill_request(page, document):
    """The citizen answers the form for a change of address and attaches the document (ids: any language)."""
    page.locator("#q-carne").fill("85031512345")
    page.locator("#q-nombre").fill("María Pérez")
    page.locator("#q-direccion_nueva-municipio").select_option("guane")
    page.locator("#q-direccion_nueva-calle").fill("Calle Martí 12, entre Maceo y Gómez")
    page.locator("#q-fecha_mudanza").fill("2026-03-15")
    page.locator("#q-vivienda-1").check()
    page.locator("#q-documento").set_input_files(str(document))
    page.locator("#q-declaro").check()


def fact(page, term):
    return page.locator(f'dt:text-is("{term}") + dd')


def test_citizen_sends_a_request_with_a_file_and_answers_a_request_for_more_information(page, live_app, tmp_path,
                                                                                       test_output):
    document = tmp_path / "contrato.pdf"
    document.write_bytes(minimal_pdf())
    signature = tmp_path / "firma.jpg"
    signature.write_bytes(jpeg_bytes())
    page.goto(live_app.url + PROCEDURE)
    page.get_by_role("link", name="Solicitar en línea").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Solicitar en línea")
    # Sent empty: the summary links to each field, and the typed answer stays.
    page.locator("#q-nombre").fill("María Pérez")
    page.get_by_role("button", name="Continuar y revisar").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link", name=re.compile("Número de carné de identidad"))).to_have_attribute("href", "#q-carne")
    expect(page.locator("#q-nombre")).to_have_value("María Pérez")
    fill_request(page, document)
    page.get_by_role("button", name="Continuar y revisar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revise su solicitud")
    expect(fact(page, "Documento que acredita la vivienda")).to_contain_text("contrato.pdf")
    expect(fact(page, "La vivienda es")).to_have_text("Arrendada")
    page.get_by_role("button", name="Enviar solicitud").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Solicitud recibida")
    code = fact(page, "Código de seguimiento").inner_text().strip()
    pin = fact(page, "PIN").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code) and re.fullmatch(r"\d{6}", pin)
    expect(fact(page, "Se resolverá a más tardar")).not_to_be_empty()
    page.get_by_role("link", name="Versión para imprimir").click()
    expect(page.locator("main")).to_contain_text(pin)
    page.emulate_media(media="print")
    for paper in ("A4", "Letter"):
        sheets = printed_sheets(page, os.path.join(test_output, f"request-receipt-{paper.lower()}.pdf"), paper)
        assert sheets == 1, f"the request's receipt prints on {sheets} {paper} sheets, not one"
    page.emulate_media(media="screen")
    with live_app.app.app_context():
        set_status(code, "more_info", "webmaster", "Falta la autorización firmada del propietario.")
    # From the tracking page, with the code and PIN.
    page.context.clear_cookies()
    page.goto(live_app.url + "/seguimiento/")
    page.locator("#codigo").fill(code)
    page.locator("#pin").fill(pin)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Falta la autorización firmada del propietario.")
    page.get_by_label("Su respuesta").fill("Adjunto la autorización firmada.")
    page.get_by_label("Archivo (opcional)").set_input_files(str(signature))
    page.get_by_role("button", name="Enviar la información").click()
    expect(fact(page, "Estado")).to_have_text("En revisión")
    expect(page.locator("main")).to_contain_text("firma.jpg")
    expect(page.locator("main")).to_contain_text("Adjunto la autorización firmada.")


def check_axe(tab, what):
    results = _run_preloaded_axe(tab)
    assert results.violations_count == 0, f"axe-core found problems on {what}:\n" + results.generate_report()


@pytest.mark.parametrize("in_english", [False, True])
@pytest.mark.parametrize("phone", [False, True])
def test_every_page_of_an_online_request_has_no_accessibility_violations(browser, live_app, tmp_path, in_english, phone):
    document = tmp_path / "contrato.pdf"
    document.write_bytes(minimal_pdf())
    tab = new_axe_tab(browser, phone=phone)
    try:
        form_path = PROCEDURE + "solicitar"
        tab.goto(live_app.url + (english(form_path) if in_english else form_path))
        check_axe(tab, "the request form")
        tab.locator("main form button[type=submit]").first.click()
        expect(tab.locator(".error-summary")).to_be_visible()
        check_axe(tab, "the request form with errors")
        fill_request(tab, document)
        tab.locator("main form button[type=submit]").first.click()
        expect(tab.locator("input[name=estado]")).to_have_count(1)
        check_axe(tab, "the check page")
        tab.locator("main form button[type=submit]").first.click()
        expect(tab.locator(".receipt")).to_be_visible()
        check_axe(tab, "the receipt")
        code = tab.locator(".receipt-facts dd.code").first.inner_text().strip()
        with live_app.app.app_context():
            set_status(code, "more_info", "webmaster", "Falta la firma.")
        tab.goto(live_app.url + f"/seguimiento/solicitudes/{code}/")
        check_axe(tab, "the request's page")
        tab.goto(live_app.url + PROCEDURE + "solicitar/borrador")
        check_axe(tab, "the page to resume a draft")
    finally:
        tab.context.close()
