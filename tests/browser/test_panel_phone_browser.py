"""The webmaster's panel, /datos/ and /transparencia/ on a 375px phone: no sideways scrolling, axe-core clean,
and a screenshot of each page in test-output/ for people to look at."""
import os
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import WEBMASTER, assert_no_axe_violations, logged_in_axe_tab, new_axe_tab
from tests.browser.test_home_browser import OVERFLOWING_ELEMENTS
from tests.browser.test_panel_axe_browser import (  # noqa: F401  (panel_content is a fixture this module uses)
    VISITOR_PANEL_PAGES, WEBMASTER_PANEL_PAGES, panel_content, visit)
from tests.participation_helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE_WIDTH = 375
PHONE = {"viewport": {"width": PHONE_WIDTH, "height": 812}, "is_mobile": True, "has_touch": True}
PUBLIC_FIGURES_PAGES = {"open-data": visit("/datos/"), "transparency": visit("/transparencia/")}


@pytest.fixture(scope="module")
def visitor_phone(browser):
    """A phone not logged in, for the whole module."""
    tab = new_axe_tab(browser, screen=PHONE)
    yield tab
    tab.context.close()


@pytest.fixture(scope="module")
def webmaster_phone(browser, live_app, webmaster):
    """The webmaster's phone, logged in through the login form."""
    tab = logged_in_axe_tab(browser, live_app.url, WEBMASTER, PASSWORD, screen=PHONE)
    yield tab
    tab.context.close()


def check_on_phone(tab, opener, url, content, page_name, test_output):
    """Open a page the way a person reaches it; it fits 375px, axe-core finds nothing, and it is screenshot."""
    response, status = opener(tab, url, "es", content)
    assert response.status == status, f"{page_name} answered {response.status}, expected {status}"
    expect(tab.locator("h1")).to_have_count(1)
    tab.screenshot(path=os.path.join(test_output, f"phone-375-{page_name}.png"), full_page=True)
    scroll_width = tab.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE_WIDTH, (
        f"{page_name} ({urlparse(tab.url).path}) is {scroll_width}px wide on a {PHONE_WIDTH}px phone; too wide: "
        + "; ".join(tab.evaluate(OVERFLOWING_ELEMENTS)))
    assert_no_axe_violations(tab, f"{page_name} on a {PHONE_WIDTH}px phone ({tab.url})")


@pytest.mark.parametrize("page_name", VISITOR_PANEL_PAGES)
def test_login_page_fits_a_375px_phone(visitor_phone, live_app, webmaster, page_name, test_output):
    check_on_phone(visitor_phone, VISITOR_PANEL_PAGES[page_name], live_app.url, None, page_name, test_output)


@pytest.mark.parametrize("page_name", WEBMASTER_PANEL_PAGES)
def test_panel_page_fits_a_375px_phone(webmaster_phone, live_app, panel_content, page_name, test_output):
    check_on_phone(webmaster_phone, WEBMASTER_PANEL_PAGES[page_name], live_app.url, panel_content, page_name,
                   test_output)


@pytest.mark.parametrize("page_name", PUBLIC_FIGURES_PAGES)
def test_public_figures_fit_a_375px_phone(visitor_phone, live_app, panel_content, page_name, test_output):
    check_on_phone(visitor_phone, PUBLIC_FIGURES_PAGES[page_name], live_app.url, panel_content, page_name,
                   test_output)
