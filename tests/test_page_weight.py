"""Pages stay light for costly mobile data: every page under 30 KB gzipped, the home page with its files under 60 KB.

Measured on both the known content (tests/public_content.py) and the shipped Pinar del Río example, whose every
document is weighed; the figures go to test-output/page-weight.md (and to the terminal with pytest -s).
"""
import gzip
import os
import re
from datetime import datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from redpinar.store import catalogue
from tests.conftest import make_app
from tests.language import english
from tests.public_content import HAVANA, LANGUAGES, PUBLIC_PAGES, load_known_content, public_page_path

PAGE_BUDGET = 30 * 1024
HOME_BUDGET = 60 * 1024
DATASETS = ("known-content", "demo-province")
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")


def download(client, url):
    """(bytes on the wire, encoding, content) of a GET from a browser that accepts gzip."""
    parts = urlsplit(url)
    response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""),
                          headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    sent = response.get_data()
    encoding = response.headers.get("Content-Encoding", "identity")
    return len(sent), encoding, gzip.decompress(sent) if encoding == "gzip" else sent


def transferred(client, url):
    """(bytes on the wire, encoding) of a GET from a browser that accepts gzip."""
    return download(client, url)[:2]


class ReferencedFiles(HTMLParser):
    """The stylesheets, icons and images an HTML page makes the browser download."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attributes):
        attributes = dict(attributes)
        relations = (attributes.get("rel") or "").lower().split()
        if tag == "link" and ({"stylesheet", "icon"} & set(relations)) and attributes.get("href"):
            self.urls.append(attributes["href"])
        elif tag == "img" and attributes.get("src"):
            self.urls.append(attributes["src"])


def known_content_pages(app):
    """{page type: [paths]}: one page of each type of the known content, both languages."""
    dates = load_known_content(app)
    return {name: [public_page_path(name, language, dates["next_month"]) for language in LANGUAGES]
            for name in PUBLIC_PAGES}


def demo_province_pages(app):
    """{page type: [paths]}: every page of each type of the shipped example, both languages."""
    with app.test_request_context("/"):
        app.preprocess_request()  # loads the province, as a visit does
        this_month = datetime.now(HAVANA).date().replace(day=1)
        procedures = catalogue.documents("procedures")
        months = {this_month} | {datetime.fromisoformat(event["start"]).date().replace(day=1)
                                 for event in catalogue.upcoming_events()}
        slugs = {
            "topic": [f"/temas/{topic['slug']}/" for topic in catalogue.topics()],
            "page": [f"/temas/{page['topic']}/{page['slug']}/" for page in catalogue.pages()],
            "procedures-filtered": [f"/tramites/?tema={procedure['topic']}" for procedure in procedures[:1]],
            "procedure": [f"/tramites/{procedure['slug']}/" for procedure in procedures],
            "guide": [f"/guias/{guide['slug']}/" for guide in catalogue.documents("guides")],
            "entity": [f"/entidades/{entity['slug']}/" for entity in catalogue.documents("entities")],
            "news-item": [f"/noticias/{item['slug']}/" for item in catalogue.news()],
            "notice-current": [f"/avisos/{notice['slug']}/" for notice in catalogue.notices()],
            "notice-expired": [f"/avisos/{notice['slug']}/" for notice in catalogue.notices(current=False)],
            "events-month": [f"/eventos/?mes={month:%Y-%m}" for month in sorted(months)],
            "event": [f"/eventos/{event['slug']}/" for event in catalogue.documents("events")],
            "search-results": ["/buscar?q=pinar"],  # in almost every document: a full page of results
        }
    pages = {}
    for name in PUBLIC_PAGES:
        paths = slugs.get(name, [PUBLIC_PAGES[name]])
        pages[name] = [english(path) if language == "en" else path for path in paths for language in LANGUAGES]
    return pages


def weigh_pages(client, pages):
    """{page type: [(bytes, encoding, path)] heaviest first}."""
    return {name: sorted(((*transferred(client, path), path) for path in paths), reverse=True)
            for name, paths in pages.items()}


def weigh_home(client):
    """[(bytes, encoding, url)] of the home page and every file it makes the browser download."""
    size, encoding, html = download(client, "/")
    files = ReferencedFiles()
    files.feed(html.decode("utf-8"))
    weights = [(size, encoding, "/")]
    for url in dict.fromkeys(files.urls):
        size, encoding, content = download(client, url)
        weights.append((size, encoding, url))
        if urlsplit(url).path.endswith(".css"):  # images the stylesheet loads
            for image in dict.fromkeys(CSS_URL.findall(content.decode("utf-8"))):
                if not image.startswith("data:"):
                    weights.append((*transferred(client, image), image))
    return weights


def kilobytes(size):
    """A size as people read it."""
    return f"{size / 1024:.1f} KB"


def report(measured):
    """The figures as a Markdown table."""
    lines = ["# Page weight", "",
             f"HTML as sent to a browser that accepts gzip. Budget: {kilobytes(PAGE_BUDGET)} a page; "
             f"the home page with its stylesheet and images: {kilobytes(HOME_BUDGET)}.", "",
             "Heaviest page of each type (the demo province weighs every document of each type):", "",
             "| Page type | Known content | Demo province | Demo pages weighed | Heaviest demo page |",
             "|---|---:|---:|---:|---|"]
    known, demo = measured["known-content"]["pages"], measured["demo-province"]["pages"]
    for name in PUBLIC_PAGES:
        demo_cell = kilobytes(demo[name][0][0]) if demo[name] else "none in the demo"
        heaviest = f"`{demo[name][0][2]}`" if demo[name] else ""
        lines.append(f"| {name} | {kilobytes(known[name][0][0])} | {demo_cell} | {len(demo[name])} | {heaviest} |")
    lines += ["", "Home page and the files it loads:", "", "| File | Known content | Demo province | Sent as |",
              "|---|---:|---:|---|"]
    demo_files = {urlsplit(url).path: (size, encoding) for size, encoding, url in measured["demo-province"]["home"]}
    for size, encoding, url in measured["known-content"]["home"]:
        demo_size = demo_files.get(urlsplit(url).path, (0, ""))[0]
        lines.append(f"| `{urlsplit(url).path}` | {kilobytes(size)} | {kilobytes(demo_size)} | {encoding} |")
    totals = [sum(size for size, _, _ in measured[dataset]["home"]) for dataset in DATASETS]
    lines.append(f"| **total** | **{kilobytes(totals[0])}** | **{kilobytes(totals[1])}** | |")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def measured(tmp_path_factory, test_output):
    """The weights of every page type and of the home page's files, for both data sets; writes the report."""
    weights = {}
    for dataset, pages_of in (("known-content", known_content_pages), ("demo-province", demo_province_pages)):
        app = make_app(tmp_path_factory.mktemp(dataset))
        pages = pages_of(app)
        client = app.test_client()
        weights[dataset] = {"pages": weigh_pages(client, pages), "home": weigh_home(client)}
    table = report(weights)
    with open(os.path.join(test_output, "page-weight.md"), "w", encoding="utf-8") as handle:
        handle.write(table)
    print("\n" + table)
    return weights


@pytest.mark.parametrize("dataset", DATASETS)
def test_every_public_page_is_under_30_kb_gzipped(measured, dataset):
    pages = measured[dataset]["pages"]
    assert sum(len(weighed) for weighed in pages.values()) >= 2 * len(PUBLIC_PAGES) - 2, "pages were weighed"
    too_heavy = [f"{path}: {kilobytes(size)} ({encoding})"
                 for weighed in pages.values() for size, encoding, path in weighed if size >= PAGE_BUDGET]
    assert not too_heavy, f"pages over {kilobytes(PAGE_BUDGET)}:\n" + "\n".join(too_heavy)


@pytest.mark.parametrize("dataset", DATASETS)
def test_home_page_with_its_stylesheet_and_images_is_under_60_kb(measured, dataset):
    home = measured[dataset]["home"]
    loaded = {urlsplit(url).path for _, _, url in home}
    assert {"/", "/static/css/site.css", "/static/img/favicon.svg"} <= loaded, loaded
    total = sum(size for size, _, _ in home)
    assert total < HOME_BUDGET, f"the home page costs {kilobytes(total)} with its files: " + ", ".join(
        f"{url} {kilobytes(size)}" for size, _, url in home)


def test_html_and_stylesheet_travel_gzipped(measured):
    # The budgets count bytes on the wire: a page sent uncompressed would cost several times more.
    for dataset in DATASETS:
        home = measured[dataset]["home"]
        assert home[0][1] == "gzip", f"{dataset}: the home page went uncompressed"
        stylesheet = [encoding for _, encoding, url in home if urlsplit(url).path.endswith(".css")]
        assert stylesheet == ["gzip"], f"{dataset}: the stylesheet went uncompressed"
