"""The home and error pages in a real browser without JavaScript: language, keyboard, accessibility, screens."""
import os
import re

import pytest
from playwright.sync_api import expect

from tests.language import address_in, english

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SKIP_LINK_TEXT = {"es": "Saltar al contenido", "en": "Skip to content"}
# Elements wider than the screen, so a failure says what to fix.
OVERFLOWING_ELEMENTS = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter(element => element.getBoundingClientRect().right > width + 1)
    .map(element => element.tagName.toLowerCase() + (element.className ? '.' + element.className : '')
         + ' right edge at ' + Math.round(element.getBoundingClientRect().right) + 'px');
}"""


def test_citizen_reads_home_page_in_spanish(page, live_server, test_output):
    response = page.goto(live_server + "/")
    assert response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("h1")).to_have_text("Gobierno Provincial de Pinar del Río")
    expect(page.locator(".skip-link")).to_have_text(SKIP_LINK_TEXT["es"])
    expect(page.get_by_text("La provincia tiene 11 municipios.")).to_be_visible()
    page.screenshot(path=os.path.join(test_output, "home-es.png"), full_page=True)


def test_citizen_reads_home_page_in_english_at_its_own_address(page, live_server, test_output):
    response = page.goto(live_server + english("/"))
    assert response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Pinar del Río Provincial Government")
    expect(page.locator(".skip-link")).to_have_text(SKIP_LINK_TEXT["en"])
    page.screenshot(path=os.path.join(test_output, "home-en.png"), full_page=True)
    assert "lang" not in {cookie["name"] for cookie in page.context.cookies()}
    page.goto(live_server + "/?lang=en")  # an old link
    assert page.url == live_server + english("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_citizen_switches_language_with_the_header_link(page, live_server):
    page.goto(live_server + "/")
    page.locator("nav.languages").get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == live_server + english("/")
    page.locator("nav.languages").get_by_role("link", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert page.url == live_server + "/"


@pytest.mark.parametrize("language", ["es", "en"])
def test_home_page_fits_a_360px_phone_without_sideways_scrolling(phone_page, live_server, test_output, language):
    phone_page.goto(live_server + address_in(language, "/"))
    phone_page.screenshot(path=os.path.join(test_output, f"home-{language}-360.png"), full_page=True)
    scroll_width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360, (
        f"the page is {scroll_width}px wide on a 360px phone; too wide: "
        + "; ".join(phone_page.evaluate(OVERFLOWING_ELEMENTS))
    )


@pytest.mark.parametrize("language", ["es", "en"])
def test_skip_link_is_the_first_tab_stop_and_leads_to_the_main_content(page, live_server, test_output, language):
    page.goto(live_server + address_in(language, "/"))
    skip_link = page.locator("a.skip-link")
    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_have_text(SKIP_LINK_TEXT[language])
    box = skip_link.bounding_box()
    assert box and box["y"] >= 0, "the focused skip link must show on screen"
    page.screenshot(path=os.path.join(test_output, f"skip-link-focused-{language}.png"))

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#contenido$"))
    expect(page.locator("main#contenido")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop comes after the header, not back in it
    expect(page.locator("main :focus, footer :focus")).to_have_count(1)


@pytest.mark.parametrize("language", ["es", "en"])
def test_error_page_speaks_the_visitors_language_and_leads_home(page, live_server, test_output, language):
    response = page.goto(live_server + address_in(language, "/no-existe"))
    assert response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", language)
    title = {"es": "Página no encontrada", "en": "Page not found"}[language]
    expect(page.locator("h1")).to_have_text(title)
    page.screenshot(path=os.path.join(test_output, f"error-404-{language}.png"), full_page=True)
    page.locator("main").get_by_role("link").first.click()
    assert page.url == live_server + address_in(language, "/")
    expect(page.locator("html")).to_have_attribute("lang", language)


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
@pytest.mark.parametrize("language", ["es", "en"])
def test_home_page_has_no_accessibility_violations(assert_accessible, language, phone):
    axe_page = assert_accessible(address_in(language, "/"), phone=phone)
    expect(axe_page.locator("html")).to_have_attribute("lang", language)


@pytest.mark.parametrize("language", ["es", "en"])
def test_error_page_has_no_accessibility_violations(assert_accessible, language):
    axe_page = assert_accessible(address_in(language, "/no-existe"), status=404)
    expect(axe_page.locator("html")).to_have_attribute("lang", language)
