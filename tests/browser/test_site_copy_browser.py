"""The offline copy opened from file:// in chromium, as from a USB stick: every link opens, axe-core is clean."""
import os
import zipfile
from collections import deque
from urllib.parse import unquote, urlsplit

import pytest

from tests.browser.conftest import assert_no_axe_violations, new_axe_tab
from tests.conftest import make_app
from tests.site_copy_helpers import export

pytestmark = [pytest.mark.browser, pytest.mark.slow]
# One page of each kind.
KINDS = (
    "index.html", "tramites/index.html", "tramites/pasaporte-ordinario/index.html", "guias/tener-un-bebe/index.html",
    "entidades/index.html", "entidades/direccion-salud/index.html", "noticias/index.html",
    "noticias/oficina-de-carne-atiende-los-sabados/index.html", "avisos/index.html",
    "avisos/corte-electrico-programado-consolacion/index.html", "eventos/index.html",
    "eventos/beisbol-vegueros-partido-preparacion/index.html", "temas/salud/index.html",
    "temas/servicios-juridicos/como-presentar-una-queja/index.html", "participa/index.html", "seguimiento/index.html",
    "transparencia/index.html", "datos/index.html",
)
# In the other languages, the pages whose copy differs most from the live page (the same kinds otherwise).
TRANSLATED_KINDS = ("index.html", "tramites/index.html", "eventos/index.html", "participa/index.html")
# In one call: the date banners, whether the stylesheet applies, whether every image shows, and every
# address the page points at (links, images, stylesheets).
PAGE_FACTS = """() => [
    document.querySelectorAll('.copy-banner').length,
    getComputedStyle(document.querySelector('.copy-banner')).textAlign === 'center',
    [...document.images].every(image => image.complete && image.naturalWidth > 0),
    [...document.querySelectorAll('a[href], link[href], img[src]')].map(element => element.href || element.src)]"""


@pytest.fixture(scope="module")
def unzipped_copy(tmp_path_factory):
    """The example province's offline copy, unzipped as a citizen would; its folder."""
    folder = tmp_path_factory.mktemp("offline-copy")
    app = make_app(folder / "data")
    export(app, "--offline", folder / "copy.zip")
    with zipfile.ZipFile(folder / "copy.zip") as archive:
        archive.extractall(folder / "usb")
    return folder / "usb"


def test_every_link_of_the_offline_copy_opens_from_file(browser, unzipped_copy):
    # JavaScript on to read the page's addresses; no axe-core here, so each page opens quickly.
    tab = browser.new_context(java_script_enabled=True).new_page()
    root = str(unzipped_copy)
    start = f"file://{root}/index.html"
    queue, seen, broken, opened = deque([start]), {start}, [], 0
    try:
        while queue:
            address = queue.popleft()
            tab.goto(address, wait_until="domcontentloaded")
            tab.wait_for_load_state("load")
            opened += 1
            banners, styled, images_shown, targets = tab.evaluate(PAGE_FACTS)
            assert banners == 1, address
            # The stylesheet and the images loaded from the copy itself, with no server and no connection.
            assert styled and images_shown, address
            for target in targets:
                parts = urlsplit(target)
                if parts.scheme != "file":
                    continue  # the live portal, mail, phone
                path = unquote(parts.path)
                if not os.path.isfile(path):
                    broken.append(f"{address} -> {target}")
                elif path.endswith(".html") and path.startswith(root):
                    page = f"file://{path}"
                    if page not in seen:
                        seen.add(page)
                        queue.append(page)
    finally:
        tab.context.close()
    assert broken == []
    assert opened > 100


def test_one_page_of_each_kind_of_the_offline_copy_passes_axe(browser, unzipped_copy):
    tab = new_axe_tab(browser)
    try:
        pages = list(KINDS) + [f"en/{kind}" for kind in TRANSLATED_KINDS]
        for page in pages:
            tab.goto(f"file://{unzipped_copy}/{page}")
            assert_no_axe_violations(tab, f"{page} of the offline copy")
    finally:
        tab.context.close()
