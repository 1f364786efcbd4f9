"""Browser fixtures: the real portal under waitress, driven by Debian's chromium with JavaScript off."""
import contextlib
import json
import os
import threading
from datetime import date
from typing import NamedTuple

import pytest
from flask import Flask
import waitress
from axe_playwright_python.base import AXE_SCRIPT, AxeResults
from axe_playwright_python.sync_playwright import DEFAULT_OPTIONS as AXE_OPTIONS, Axe
from waitress import wasyncore

from redpinar.store.users import create_admin
from tests.conftest import make_app
from tests.participation_helpers import PASSWORD
from tests.public_content import load_known_content

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# A visitor from Pinar del Río: the browser asks for Cuban Spanish.
VISITOR_LOCALE = "es-CU"
PHONE_SCREEN = {"width": 360, "height": 740}
TIMEOUT_MS = 15_000


@contextlib.contextmanager
def serving(app):
    """The app served by waitress on a free 127.0.0.1 port; yields its URL."""
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.effective_port}"
    previous_public_url = app.config["PUBLIC_URL"]
    app.config["PUBLIC_URL"] = url  # the address the browser uses is the portal's public one here
    try:
        yield url
    finally:
        # Close every socket from inside the server's own loop, so its thread ends cleanly.
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        thread.join(timeout=10)
        server.task_dispatcher.shutdown()
        app.config["PUBLIC_URL"] = previous_public_url


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The portal served by waitress on a free 127.0.0.1 port, with the Pinar del Río example; yields its URL."""
    with serving(make_app(tmp_path_factory.mktemp("live-data"))) as url:
        yield url


class LiveApp(NamedTuple):
    """A served portal and the app behind it, to add data or a webmaster account while it runs."""

    url: str
    app: Flask


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    """Like live_server (forms accepted at once, no rate limits), with its app at hand."""
    app = make_app(tmp_path_factory.mktemp("live-app-data"))
    with serving(app) as url:
        yield LiveApp(url, app)


class LivePortal(NamedTuple):
    """A served portal holding the known content (tests/public_content.py), and the dates it was built on."""

    url: str
    today: date
    next_month: date


@pytest.fixture(scope="module")
def live_portal(tmp_path_factory):
    """Like live_server, with every collection replaced by the known content a test can check."""
    app = make_app(tmp_path_factory.mktemp("live-portal-data"))
    dates = load_known_content(app)
    with serving(app) as url:
        yield LivePortal(url, dates["today"], dates["next_month"])


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, headless, driven by Playwright for the whole session."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Debian's chromium is missing ({CHROMIUM} not found): run `make test`, which installs it.",
                    pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _new_page(browser, contexts, **options):
    """A page in a fresh context (own cookies), remembered so the fixture can close it."""
    context = browser.new_context(locale=VISITOR_LOCALE, **options)
    context.set_default_timeout(TIMEOUT_MS)
    contexts.append(context)
    return context.new_page()


@pytest.fixture
def page(browser):
    """A desktop browser tab with JavaScript disabled: the portal must work without it."""
    contexts = []
    yield _new_page(browser, contexts, java_script_enabled=False)
    for context in contexts:
        context.close()


@pytest.fixture
def new_device(browser):
    """Opens JavaScript-disabled desktop tabs, each in a context of its own: another phone, another person."""
    contexts = []
    yield lambda: _new_page(browser, contexts, java_script_enabled=False)
    for context in contexts:
        context.close()


@pytest.fixture
def phone_page(browser):
    """A 360px-wide phone screen with JavaScript disabled."""
    contexts = []
    yield _new_page(browser, contexts, java_script_enabled=False, viewport=PHONE_SCREEN,
                    is_mobile=True, has_touch=True)
    for context in contexts:
        context.close()


def _accessibility_checker(new_tab, base_url):
    """A check that opens a path of base_url in a tab from new_tab(phone) and asserts axe-core finds no violation."""
    # axe-core gets its own tab with JavaScript on: it needs timers, which chromium stops in a
    # JavaScript-disabled tab (axe.run would wait for ever). The portal ships no script, so
    # axe sees the same page a visitor without JavaScript gets.

    def check(path, status=200, phone=False):
        axe_page, run_axe = new_tab(phone)
        response = axe_page.goto(base_url + path)
        assert response.status == status, f"{path} answered {response.status}, expected {status}"
        results = run_axe(axe_page)
        assert results.violations_count == 0, (
            f"axe-core found problems on {path}{' (360px phone)' if phone else ''}:\n"
            + results.generate_report()
        )
        return axe_page

    return check


def _screen(phone):
    """Context options for a desktop or a 360px phone screen."""
    return {"viewport": PHONE_SCREEN, "is_mobile": True, "has_touch": True} if phone else {}


@pytest.fixture
def assert_accessible(browser, live_server):
    """A check that opens a path of live_server and asserts axe-core finds no violation there."""
    contexts = []

    def new_tab(phone):
        return _new_page(browser, contexts, java_script_enabled=True, **_screen(phone)), Axe().run

    yield _accessibility_checker(new_tab, live_server)
    for context in contexts:
        context.close()


def _run_preloaded_axe(page):
    """axe-core's violations on a page whose context loaded it already."""
    return AxeResults(page.evaluate(f"axe.run({json.dumps(AXE_OPTIONS)})"))


def new_axe_tab(browser, phone=False, screen=None):
    """A JavaScript-enabled tab whose context loads axe-core into every page; close its context when done.

    screen: Playwright context options for another device (viewport, is_mobile…) than the usual two.
    """
    context = browser.new_context(locale=VISITOR_LOCALE, java_script_enabled=True, **(screen or _screen(phone)))
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(script=AXE_SCRIPT)
    return context.new_page()


def logged_in_axe_tab(browser, base_url, username, password, screen=None):
    """A tab with JavaScript on, logged in to the panel through its form (ids are the same in any language)."""
    tab = new_axe_tab(browser, screen=screen)
    tab.goto(base_url + "/admin/login")
    tab.locator("#usuario").fill(username)
    tab.locator("#clave").fill(password)
    tab.locator("main form button[type=submit]").click()
    tab.wait_for_url(base_url + "/admin/mensajes/")
    return tab


def assert_no_axe_violations(axe_page, where):
    """Assert axe-core finds no violation on the page the tab shows now (reached by a GET or a form post)."""
    results = _run_preloaded_axe(axe_page)
    assert results.violations_count == 0, f"axe-core found problems on {where}:\n" + results.generate_report()


@pytest.fixture(scope="module")
def assert_portal_accessible(browser, live_portal):
    """The same check on live_portal, for a whole module of pages: one tab per screen, whose context
    loads axe-core into each page itself (twice as fast as a fresh context injecting it every time)."""
    tabs = {}

    def reused_tab(phone):
        if phone not in tabs:
            tabs[phone] = new_axe_tab(browser, phone)
        return tabs[phone], _run_preloaded_axe

    yield _accessibility_checker(reused_tab, live_portal.url)
    for tab in tabs.values():
        tab.context.close()


WEBMASTER = "webmaster"


@pytest.fixture(scope="module")
def webmaster(live_app):
    """The served portal's webmaster account."""
    with live_app.app.app_context():
        create_admin(WEBMASTER, PASSWORD)
    return WEBMASTER


@pytest.fixture(scope="module")
def citizen_axe_tab(browser):
    """A tab with JavaScript on (axe-core needs it), not logged in, for the whole module."""
    tab = new_axe_tab(browser)
    yield tab
    tab.context.close()


@pytest.fixture(scope="module")
def webmaster_axe_tab(browser, live_app, webmaster):
    """The same, logged in to the panel."""
    tab = logged_in_axe_tab(browser, live_app.url, WEBMASTER, PASSWORD)
    yield tab
    tab.context.close()
