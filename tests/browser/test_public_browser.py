"""A citizen without JavaScript finds procedures, prints a card, browses events, downloads one, switches language."""
import os
import re
from datetime import datetime, timedelta, timezone

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations, new_axe_tab
from tests.browser.test_home_browser import OVERFLOWING_ELEMENTS
from tests.language import english
from tests.public_content import HAVANA, LANGUAGES, PUBLIC_PAGES, public_page_path

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BIRTH_REGISTRATION = "Inscripción de nacimiento"
BIRTH_REGISTRATION_STEPS = [
    "Vaya a la oficina del Registro Civil", "Entregue los documentos", "Recoja la certificación",
]
# Parts of the screen that have no business on paper.
NOT_PRINTED = {
    "skip link": ".skip-link", "main navigation": "nav.main-nav", "language links": "nav.languages",
    "search form": "form.search-form", "breadcrumbs": "nav.breadcrumbs",
}
# Stored data leaking into text: "{'procedure': 'inscripcion-de-nacimiento', ...}".
RAW_DATA = re.compile(r"[{}]|'\w+': ")
# The margins a browser's print dialog leaves by default.
PRINT_MARGINS = {side: "1cm" for side in ("top", "right", "bottom", "left")}
# [text, language it is marked in] of each element.
LABEL_LANGUAGES = "elements => elements.map(element => [element.textContent.trim(), element.closest('[lang]').lang])"
# A page object in a PDF ("/Type /Pages" is the tree that holds them).
PDF_PAGE = re.compile(rb"/Type\s*/Page(?!s)")


def printed_sheets(page, path, paper):
    """How many sheets of paper (A4 or Letter) the page in the tab prints on; the PDF is left at path."""
    return len(PDF_PAGE.findall(page.pdf(path=path, format=paper, margin=PRINT_MARGINS)))


def expect_birth_registration_card(page, base_url):
    """The card of the birth registration, with its steps in order and the office to go to."""
    expect(page).to_have_url(base_url + "/tramites/inscripcion-de-nacimiento/")
    expect(page.locator("h1")).to_have_text(BIRTH_REGISTRATION)
    expect(page.locator("ol.steps > li")).to_have_text(BIRTH_REGISTRATION_STEPS)
    office = page.locator(".office")
    expect(office.locator("h3")).to_have_text("Oficina del Registro Civil")
    expect(office).to_contain_text("Calle Maceo 12, Pinar del Río")
    expect(office).to_contain_text("8:00 a 16:00")


def test_citizen_finds_a_procedure_among_the_most_consulted_on_the_home_page(page, live_portal, test_output):
    page.goto(live_portal.url + "/")
    most_consulted = page.get_by_role("region", name="Trámites más consultados")
    most_consulted.get_by_role("link", name=BIRTH_REGISTRATION).click()
    expect_birth_registration_card(page, live_portal.url)
    page.screenshot(path=os.path.join(test_output, "procedure-card-es.png"), full_page=True)


def test_citizen_finds_a_procedure_through_its_topic(page, live_portal):
    page.goto(live_portal.url + "/")
    page.get_by_role("region", name="Temas").get_by_role("link", name="Servicios jurídicos").click()
    expect(page.locator("h1")).to_have_text("Servicios jurídicos")
    page.get_by_role("region", name="Trámites").get_by_role("link", name=BIRTH_REGISTRATION).click()
    expect_birth_registration_card(page, live_portal.url)


def test_citizen_finds_a_procedure_searching_without_accents(page, live_portal, test_output):
    page.goto(live_portal.url + "/")
    search_box = page.get_by_label("¿Qué trámite o información busca?")
    search_box.fill("inscripcion")
    search_box.press("Enter")
    expect(page).to_have_url(re.compile(r"/buscar\?q=inscripcion$"))
    expect(page.get_by_label("Palabras que busca")).to_have_value("inscripcion")
    results = page.locator("ol.results")
    expect(results.get_by_role("link", name=BIRTH_REGISTRATION)).to_be_visible()
    page.screenshot(path=os.path.join(test_output, "search-results-es.png"), full_page=True)
    results.get_by_role("link", name=BIRTH_REGISTRATION).click()
    expect_birth_registration_card(page, live_portal.url)


def test_search_results_show_snippets_of_text_never_stored_data(page, live_portal):
    page.goto(live_portal.url + "/buscar?q=inscripcion")
    snippets = page.locator("ol.results > li > p").all_inner_texts()
    assert len(snippets) >= 2, "the procedure and the guide that leads to it"
    raw = [snippet for snippet in snippets if RAW_DATA.search(snippet)]
    assert not raw, "search snippets show stored data instead of text: " + " | ".join(raw)


def test_printed_procedure_card_keeps_the_card_and_drops_navigation_and_search(page, live_portal, test_output):
    page.goto(live_portal.url + "/tramites/inscripcion-de-nacimiento/")
    for selector in NOT_PRINTED.values():  # on screen they are there...
        expect(page.locator(selector).first).to_be_attached()
    page.emulate_media(media="print")
    for name, selector in NOT_PRINTED.items():  # ...on paper they are not
        expect(page.locator(selector), f"the {name} must not be printed").to_be_hidden()
    for selector in ("h1", "ol.steps", ".office", ".facts", ".print-address"):
        expect(page.locator(selector)).to_be_visible()
    expect(page.locator(".print-address")).to_contain_text(live_portal.url + "/tramites/inscripcion-de-nacimiento/")
    page.screenshot(path=os.path.join(test_output, "procedure-card-print-es.png"), full_page=True)


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_birth_registration_card_prints_on_one_sheet(page, live_portal, test_output, paper):
    page.goto(live_portal.url + "/tramites/inscripcion-de-nacimiento/")
    pdf = page.pdf(path=os.path.join(test_output, f"procedure-card-{paper.lower()}.pdf"), format=paper,
                   margin=PRINT_MARGINS)
    assert pdf.startswith(b"%PDF")
    pages = len(PDF_PAGE.findall(pdf))
    assert pages == 1, f"the birth registration card prints on {pages} {paper} sheets, not one"


def test_printed_procedures_list_drops_the_filter_form(page, live_portal):
    page.goto(live_portal.url + "/tramites/")
    expect(page.locator("form.filters")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("form.filters")).to_be_hidden()
    expect(page.locator("ul.card-list").get_by_role("link", name=BIRTH_REGISTRATION)).to_be_visible()


def test_citizen_filters_events_by_municipality_without_javascript(page, live_portal):
    page.goto(live_portal.url + "/eventos/")
    upcoming = page.locator("ul.events > li")
    expect(upcoming.get_by_role("link")).to_have_text(["Serie de béisbol", "Festival de Viñales"])
    page.get_by_label("Municipio").select_option(label="Viñales")
    page.get_by_role("button", name="Filtrar").click()
    expect(page).to_have_url(re.compile(r"[?&]municipio=vinales(&|$)"))
    expect(page.get_by_label("Municipio")).to_have_value("vinales")
    expect(upcoming.get_by_role("link")).to_have_text(["Festival de Viñales"])
    expect(upcoming).to_contain_text(["Viñales"])


def events_by_day(page):
    """{day of the month: [event titles]} read from the month table's cells."""
    cells = page.locator("table.month td:not(.other-month)").evaluate_all(
        """cells => cells.map(cell => [
             cell.querySelector('.day-number [aria-hidden="true"]').textContent.trim(),
             [...cell.querySelectorAll('a')].map(link => link.textContent.trim())])""")
    return {int(day): titles for day, titles in cells}


def test_citizen_browses_the_month_view_to_next_months_events(page, live_portal, test_output):
    page.goto(live_portal.url + "/eventos/")
    page.get_by_role("link", name="Ver por meses").click()
    expect(page).to_have_url(re.compile(rf"mes={live_portal.today:%Y-%m}"))
    page.get_by_role("navigation", name="Meses").get_by_role("link", name="Mes siguiente").click()
    next_month = live_portal.next_month
    expect(page).to_have_url(re.compile(rf"mes={next_month:%Y-%m}"))
    expect(page.get_by_role("status")).to_have_text("2 eventos este mes")

    days = events_by_day(page)
    assert sorted(days) == list(range(1, len(days) + 1)) and len(days) >= 28, "one cell per day of the month"
    expected = {5: ["Serie de béisbol"], 10: ["Festival de Viñales"], 11: ["Festival de Viñales"],
                12: ["Festival de Viñales"]}
    assert {day: titles for day, titles in days.items() if titles} == expected
    page.screenshot(path=os.path.join(test_output, "events-month-es.png"), full_page=True)

    page.locator("table.month td:not(.other-month)").nth(4).get_by_role("link", name="Serie de béisbol").click()
    expect(page.locator("h1")).to_have_text("Serie de béisbol")


@pytest.mark.parametrize("language", LANGUAGES)
def test_month_view_fits_a_360px_phone_without_sideways_scrolling(phone_page, live_portal, test_output, language):
    phone_page.goto(live_portal.url + public_page_path("events-month", language, live_portal.next_month))
    expect(phone_page.locator("table.month")).to_contain_text("Festival de Viñales" if language == "es"
                                                              else "Viñales festival")
    phone_page.screenshot(path=os.path.join(test_output, f"events-month-{language}-360.png"), full_page=True)
    scroll_width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360, (
        f"the month view is {scroll_width}px wide on a 360px phone; too wide: "
        + "; ".join(phone_page.evaluate(OVERFLOWING_ELEMENTS))
    )


def test_citizen_adds_an_event_to_their_calendar(page, live_portal):
    page.goto(live_portal.url + "/eventos/serie-de-beisbol/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Añadir a mi calendario (.ics)").click()
    download = download_info.value
    assert download.suggested_filename == "serie-de-beisbol.ics"
    with open(download.path(), "rb") as ics_file:
        calendar = Calendar.from_ical(ics_file.read())

    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Serie de béisbol"
    day = live_portal.next_month + timedelta(days=4)
    starts = datetime(day.year, day.month, day.day, 19, tzinfo=HAVANA)
    assert event.decoded("DTSTART") == starts.astimezone(timezone.utc)
    assert event.decoded("DTEND") == (starts + timedelta(hours=3)).astimezone(timezone.utc)
    assert "Estadio Capitán San Luis" in str(event["LOCATION"])
    assert str(event["URL"]) == live_portal.url + "/eventos/serie-de-beisbol/"


def test_citizen_switches_a_procedure_to_english_and_stays_on_it(page, live_portal, test_output):
    page.goto(live_portal.url + "/tramites/inscripcion-de-nacimiento/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.locator("nav.languages").get_by_role("link", name="English").click()

    expect(page).to_have_url(live_portal.url + english("/tramites/inscripcion-de-nacimiento/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Birth registration")
    expect(page.locator(".lead")).to_have_text("How to register a newborn.")
    expect(page.get_by_role("heading", name="Steps")).to_be_visible()
    expect(page.get_by_text("The details of this procedure are in Spanish.")).to_be_visible()
    expect(page.locator('ol.steps[lang="es"] > li')).to_have_text(BIRTH_REGISTRATION_STEPS)
    page.screenshot(path=os.path.join(test_output, "procedure-card-en.png"), full_page=True)
    page.locator("nav.languages").get_by_role("link", name="Español").click()
    expect(page).to_have_url(live_portal.url + "/tramites/inscripcion-de-nacimiento/")
    expect(page.locator("html")).to_have_attribute("lang", "es")


def test_the_header_link_switches_a_filtered_list_to_english_and_back_with_no_accessibility_violations(
        browser, live_portal):
    tab = new_axe_tab(browser)
    try:
        tab.goto(live_portal.url + "/tramites/?tema=vivienda")
        assert_no_axe_violations(tab, "/tramites/?tema=vivienda")
        tab.locator("nav.languages").get_by_role("link", name="English").click()
        expect(tab).to_have_url(live_portal.url + english("/tramites/?tema=vivienda"))
        expect(tab.locator("html")).to_have_attribute("lang", "en")
        assert_no_axe_violations(tab, english("/tramites/?tema=vivienda"))
        tab.locator("nav.languages").get_by_role("link", name="Español").click()
        expect(tab).to_have_url(live_portal.url + "/tramites/?tema=vivienda")
        expect(tab.locator("html")).to_have_attribute("lang", "es")
    finally:
        tab.context.close()


def test_procedure_in_english_marks_only_its_spanish_details_as_spanish(page, live_portal):
    # A screen reader reads each part in the voice of its lang: English headings need an English voice.
    page.goto(live_portal.url + english("/tramites/inscripcion-de-nacimiento/"))
    expect(page.locator('ol.steps[lang="es"] > li')).to_have_text(BIRTH_REGISTRATION_STEPS)
    labels = page.locator("article h2, article h3, article dt")
    expect(labels.first).to_be_visible()
    read_as = dict(labels.evaluate_all(LABEL_LANGUAGES))
    assert read_as.pop("Oficina del Registro Civil") == "es"  # an office's name stays as written
    marked_spanish = [text for text, language in read_as.items() if language != "en"]
    assert not marked_spanish, "these English headings and labels are marked lang=es: " + ", ".join(marked_spanish)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_type", PUBLIC_PAGES)
def test_public_page_has_no_accessibility_violations(assert_portal_accessible, live_portal, page_type, language):
    axe_page = assert_portal_accessible(public_page_path(page_type, language, live_portal.next_month))
    expect(axe_page.locator("html")).to_have_attribute("lang", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_month_view_on_a_phone_has_no_accessibility_violations(assert_portal_accessible, live_portal, language):
    # On a phone the table is laid out as a list of days: it must stay as accessible as the table.
    assert_portal_accessible(public_page_path("events-month", language, live_portal.next_month), phone=True)
