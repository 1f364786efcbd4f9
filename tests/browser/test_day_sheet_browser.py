"""The office's day sheet in a real browser with JavaScript off: mark an appointment attended, print on one sheet."""
import os
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from redpinar.store import slots
from redpinar.store.appointments import book
from redpinar.store.offices import get_office
from tests.appointment_helpers import PROCEDURE, make_office
from tests.browser.conftest import assert_no_axe_violations, logged_in_axe_tab
from tests.browser.test_participation_browser import WEBMASTER, log_in_as_webmaster
from tests.browser.test_public_browser import PDF_PAGE, PRINT_MARGINS
from tests.participation_helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHEET = "/admin/oficinas/carne-identidad-pinar-del-rio/dia/"


def open_first_busy_day(tab, base_url, language="es"):
    """The example office's sheet of the next open day (the example books two people there)."""
    tab.goto(f"{base_url}{SHEET}?lang={language}")
    tab.locator("a[rel=next]").click()
    expect(tab.locator("table.sheet tbody tr").first).to_be_visible()


def test_webmaster_marks_an_appointment_attended_and_prints_the_day_on_one_sheet(page, live_app, webmaster,
                                                                               test_output):
    log_in_as_webmaster(page, live_app.url)
    open_first_busy_day(page, live_app.url)
    first = page.locator("table.sheet tbody tr").first
    expect(first).to_contain_text("Ana Pérez (ejemplo)")
    first.locator("button[value=attended]").click()
    first = page.locator("table.sheet tbody tr").first
    expect(first).to_contain_text("Asistió")
    first.get_by_role("button", name="Deshacer").click()
    expect(page.locator("table.sheet tbody tr").first).to_contain_text("Reservada")
    page.locator("table.sheet tbody tr").first.locator("button[value=attended]").click()
    page.emulate_media(media="print")
    expect(page.locator(".admin-bar")).to_be_hidden()
    expect(page.locator("table.sheet button").first).to_be_hidden()
    expect(page.locator("table.sheet").first).to_be_visible()
    for paper in ("A4", "Letter"):
        pdf = page.pdf(path=os.path.join(test_output, f"day-sheet-{paper.lower()}.pdf"), format=paper,
                       margin=PRINT_MARGINS)
        pages = len(PDF_PAGE.findall(pdf))
        assert pages == 1, f"the day sheet prints on {pages} {paper} sheets, not one"


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_day_sheet_is_axe_clean(browser, live_app, webmaster, language):
    tab = logged_in_axe_tab(browser, live_app.url, WEBMASTER, PASSWORD)
    try:
        open_first_busy_day(tab, live_app.url, language)
        assert_no_axe_violations(tab, f"the day sheet ({language})")
    finally:
        tab.context.close()


def test_a_full_day_of_48_appointments_prints_on_one_sheet(page, live_app, webmaster, test_output):
    app = live_app.app
    make_office(app, slug="oficina-llena-impresa", places=3)
    day = datetime.now(ZoneInfo("America/Havana")).date() + timedelta(days=1)
    with app.app_context():
        for number, (clock, _) in enumerate(slots.day_times(get_office("oficina-llena-impresa"), day) * 3):
            book("oficina-llena-impresa", PROCEDURE, day, clock, {
                "name": f"María de los Ángeles Rodríguez Hernández {number}", "id_card": f"850101{number:05d}",
                "phone": "", "email": ""}, "x")
    log_in_as_webmaster(page, live_app.url)
    page.goto(f"{live_app.url}/admin/oficinas/oficina-llena-impresa/dia/?dia={day.isoformat()}")
    expect(page.locator("table.sheet tbody tr")).to_have_count(48)
    page.emulate_media(media="print")
    for paper in ("A4", "Letter"):
        pdf = page.pdf(path=os.path.join(test_output, f"day-sheet-full-{paper.lower()}.pdf"), format=paper,
                       margin=PRINT_MARGINS)
        pages = len(PDF_PAGE.findall(pdf))
        assert pages == 1, f"a full day prints on {pages} {paper} sheets, not one"
