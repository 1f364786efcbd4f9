"""Pages are valid HTML by the Nu HTML Checker (the W3C validator), run once over all of them; feeds are XML."""
import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from datetime import datetime

import pytest

from tests.conftest import PROJECT_ROOT, make_app
from tests.public_content import ATOM_FEEDS, LANGUAGES, PUBLIC_PAGES, load_known_content, public_page_path

pytestmark = pytest.mark.slow

VNU_JAR = os.path.join(PROJECT_ROOT, ".tools", "node_modules", "vnu-jar", "build", "dist", "vnu.jar")

# file name -> (method, path, expected status); every public page type in both languages is added below.
PAGES = {
    "home-es": ("GET", "/?lang=es", 200),
    "home-en": ("GET", "/?lang=en", 200),
    "not-found-es": ("GET", "/no-existe?lang=es", 404),
    "not-found-en": ("GET", "/no-existe?lang=en", 404),
    "method-not-allowed-es": ("POST", "/robots.txt?lang=es", 405),
    "method-not-allowed-en": ("POST", "/robots.txt?lang=en", 405),
}


def nu_checker_messages(html_files):
    """Run the Nu HTML Checker once over the files; its messages (errors only)."""
    java = shutil.which("java")
    if not java or not os.path.isfile(VNU_JAR):
        missing = "java" if not java else VNU_JAR
        pytest.fail(f"The Nu HTML Checker cannot run ({missing} is missing): run `make test`, which installs it.",
                    pytrace=False)
    finished = subprocess.run(
        [java, "-jar", VNU_JAR, "--errors-only", "--format", "json", *html_files],
        capture_output=True, text=True, timeout=300,
    )
    try:  # the checker writes its JSON report on stderr
        return json.loads(finished.stderr)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"The Nu HTML Checker gave no report (exit {finished.returncode}):\n{finished.stderr}")


def describe(message):
    """One readable line per checker message: file, line, column, text."""
    file_name = os.path.basename(message.get("url", "?"))
    line = message.get("lastLine", message.get("firstLine", "?"))
    column = message.get("firstColumn", "?")
    extract = message.get("extract", "").replace("\n", " ")
    return f"{file_name}:{line}:{column}: {message.get('type')}: {message.get('message')}  [{extract}]"


def public_pages(next_month):
    """Every public page type of the known content in both languages, named like PAGES."""
    return {f"{name}-{language}": ("GET", public_page_path(name, language, next_month), 200)
            for name in PUBLIC_PAGES for language in LANGUAGES}


def test_portal_pages_are_valid_html(data_dir, tmp_path):
    app = make_app(data_dir)
    dates = load_known_content(app)
    client = app.test_client()
    pages = {**PAGES, **public_pages(dates["next_month"])}
    html_files = []
    for name, (method, path, status) in pages.items():
        response = client.open(path, method=method)
        assert response.status_code == status, f"{method} {path} answered {response.status_code}"
        assert response.mimetype == "text/html"
        html_file = tmp_path / f"{name}.html"
        html_file.write_bytes(response.get_data())
        html_files.append(str(html_file))

    messages = nu_checker_messages(html_files)
    assert not messages, "The Nu HTML Checker found errors:\n" + "\n".join(map(describe, messages))


ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", ATOM_FEEDS)
def test_atom_feeds_are_well_formed_xml_with_what_atom_requires(data_dir, path, language):
    client = make_app(data_dir).test_client()
    response = client.get(f"{path}?lang={language}")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(response.get_data())  # raises on anything not well-formed
    assert feed.tag == ATOM + "feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == language
    entries = feed.findall(ATOM + "entry")
    assert entries, f"{path} has no entries with the example province"
    for element in (feed, *entries):
        for required in ("id", "title", "updated"):
            assert (element.findtext(ATOM + required) or "").strip(), f"{path}: an {element.tag} has no {required}"
    for stamp in [*feed.iter(ATOM + "updated"), *feed.iter(ATOM + "published")]:
        # RFC 3339: a date, a time and an offset
        assert datetime.fromisoformat(stamp.text).tzinfo, f"{path}: {stamp.text} has no offset"
    for entry in entries:
        link = entry.find(ATOM + "link")
        assert link is not None and link.get("href", "").startswith("http://localhost/"), f"{path}: entry link"
