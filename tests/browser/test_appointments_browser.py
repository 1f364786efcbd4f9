"""A citizen without JavaScript books an appointment, prints the receipt, moves it and cancels it."""
import os
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations, new_axe_tab
from tests.browser.test_public_browser import PDF_PAGE, PRINT_MARGINS
from tests.language import english

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OFFICE_NAME = "Oficina de Carné de Identidad de Pinar del Río"


def book_an_appointment(tab, base_url, card, path=lambda address: address, words=None):
    """From /citas/ to the receipt by links and buttons only; returns the receipt's code."""
    words = words or {"book": "Pedir cita: Carné de identidad", "continue": "Continuar", "confirm": "Confirmar la cita"}
    tab.goto(base_url + path("/citas/"))
    tab.get_by_role("link", name=re.compile(words["book"])).first.click()
    tab.locator("ul.day-list a").first.click()
    tab.locator("ul.slot-list a").first.click()
    tab.locator("#nombre").fill("Juana Pérez")
    tab.locator("#carne").fill(card)
    tab.locator("#correo").fill("juana@example.cu")
    tab.get_by_role("button", name=words["continue"]).click()
    tab.get_by_role("button", name=words["confirm"]).click()
    expect(tab.locator("dd.code").first).to_have_text(re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}$"))
    return tab.locator("dd.code").first.text_content()


def test_citizen_books_moves_and_cancels_without_javascript(page, live_app):
    code = book_an_appointment(page, live_app.url, "85010100001")
    expect(page.locator("h1")).to_have_text("Cita reservada")
    expect(page.locator(".receipt-facts")).to_contain_text(OFFICE_NAME)
    expect(page.locator(".receipt-facts")).to_contain_text(re.compile(r"\w+ \d{1,2} de \w+, \d{1,2}:\d\d"))
    before = page.locator(".receipt-facts strong").text_content()
    page.get_by_role("link", name="Cambiar la hora").click()
    page.locator("ul.day-list a").nth(1).click()
    page.locator("input[name=hora]").first.check()
    page.get_by_role("button", name="Cambiar a esta hora").click()
    expect(page).to_have_url(live_app.url + f"/citas/cita/{code}/")
    assert page.locator(".receipt-facts strong").text_content() != before
    page.get_by_role("link", name="Anular la cita").click()
    page.get_by_role("button", name="Sí, anular la cita").click()
    expect(page.locator("h1")).to_have_text("Cita anulada")


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_receipt_prints_on_one_sheet_without_buttons(page, live_app, test_output, paper):
    book_an_appointment(page, live_app.url, "85010100002" if paper == "A4" else "85010100003")
    page.emulate_media(media="print")
    expect(page.locator(".appointment-receipt .actions a").first).to_be_hidden()
    expect(page.locator("dd.code").first).to_be_visible()
    pdf = page.pdf(path=os.path.join(test_output, f"appointment-receipt-{paper.lower()}.pdf"), format=paper,
                   margin=PRINT_MARGINS)
    pages = len(PDF_PAGE.findall(pdf))
    assert pages == 1, f"the receipt prints on {pages} {paper} sheets, not one"


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_step_of_the_journey_is_axe_clean(browser, live_app, language):
    tab = new_axe_tab(browser)
    path = english if language == "en" else (lambda address: address)
    words = {"book": "Book an appointment: Identity card", "continue": "Continue", "confirm": "Confirm the appointment"} \
        if language == "en" else None
    try:
        tab.goto(live_app.url + path("/citas/"))
        assert_no_axe_violations(tab, f"/citas/ ({language})")
        tab.get_by_role("link", name=re.compile((words or {}).get("book", "Pedir cita: Carné de identidad"))).first.click()
        assert_no_axe_violations(tab, f"the free days ({language})")
        tab.locator("ul.day-list a").first.click()
        assert_no_axe_violations(tab, f"the free times ({language})")
        tab.locator("ul.slot-list a").first.click()
        assert_no_axe_violations(tab, f"the form ({language})")
        tab.locator("#carne").fill("85133100000")
        tab.get_by_role("button", name=(words or {}).get("continue", "Continuar")).click()
        assert_no_axe_violations(tab, f"the form with errors ({language})")
        card = "86010100001" if language == "es" else "86010100002"
        code = book_an_appointment(tab, live_app.url, card, path, words)
        assert_no_axe_violations(tab, f"the receipt ({language})")
        for step in ("cambiar", "anular"):
            tab.goto(live_app.url + path(f"/citas/cita/{code}/{step}"))
            assert_no_axe_violations(tab, f"/citas/cita/…/{step} ({language})")
        tab.goto(live_app.url + path(f"/citas/cita/{code}/cambiar"))
        tab.locator("ul.day-list a").first.click()
        assert_no_axe_violations(tab, f"the times to move to ({language})")
    finally:
        tab.context.close()
