"""Reading a copy of the site written by `flask export-site`: its pages, their links, their main content."""
import html
import os
import re
from urllib.parse import urlsplit

LINK = re.compile(r"""\s(?:href|src)="([^"]*)\"""")
MAIN = re.compile(r"<main\b.*?</main>", re.S)
FORM = re.compile(r"<form\b.*?</form>", re.S)
COPY_NOTE = re.compile(r"<div class=\"copy-note\">.*?</div>", re.S)
TAG = re.compile(r"<[^>]+>")
HEADING = re.compile(r"<h([1-3])\b[^>]*>(.*?)</h\1>", re.S)


def export(app, *arguments):
    """Run `flask export-site` with arguments on app; the result, checked."""
    result = app.test_cli_runner().invoke(args=["export-site", *map(str, arguments)])
    assert result.exit_code == 0, result.output
    return result


def pages_of(folder):
    """{relative path: text} of every page of a copy."""
    pages = {}
    for root, _folders, files in os.walk(folder):
        for name in files:
            if name.endswith(".html"):
                path = os.path.join(root, name)
                with open(path, encoding="utf-8") as handle:
                    pages[os.path.relpath(path, folder).replace(os.sep, "/")] = handle.read()
    return pages


def links_of(text):
    """The href and src values of a page, unescaped."""
    return [html.unescape(value) for value in LINK.findall(text)]


def is_internal(link):
    """A link within the copy (not another site, not mail or phone)."""
    return not urlsplit(link).scheme and not link.startswith(("#", "//"))


def main_text(page, copy=False):
    """The words of a page's <main>, without forms (live) or the notes that replace them (copy)."""
    match = MAIN.search(page)
    main = match.group(0) if match else ""
    main = COPY_NOTE.sub(" ", main) if copy else FORM.sub(" ", main)
    return " ".join(html.unescape(TAG.sub(" ", main)).split())


def headings(page):
    """The h1–h3 texts of a page's <main>."""
    match = MAIN.search(page)
    return [" ".join(html.unescape(TAG.sub(" ", text)).split()) for _level, text in HEADING.findall(match.group(0))]


def main_links(page):
    """The links of a page's <main> that lead to a page of the site (no query string, no other site)."""
    match = MAIN.search(page)
    return [link for link in links_of(match.group(0) if match else "")
            if is_internal(link) and "?" not in link]
