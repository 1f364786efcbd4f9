"""Exporting the public site by asking the application itself for every page it links to.

The exporter is a crawler over the app's own links: it starts from the home page of each of the
province's languages, robots.txt and the sitemap, asks the app (through its WSGI callable, as a
visitor would) for each address once, and writes what answers 200 into a folder. Then it rewrites
every link: to the copied file, or to the live site when the copy does not hold the target.
"""
import contextlib
import contextvars
import os
import shutil
import tempfile
import time
import zipfile
from collections import deque
from datetime import date
from typing import NamedTuple
from urllib.parse import urlsplit

from flask import current_app

from ..addresses import languages_of
from ..store.site import load_site
from .links import Address, Rewriter, file_for, page_links, sitemap_addresses, stylesheet_links
from .mode import ENVIRON_KEY, options_for

DEFAULT_NEWS_MONTHS = 12
DEFAULT_MAX_FILES = 50_000
DEFAULT_MAX_MEGABYTES = 2048
MEGABYTE = 1024 * 1024
# Never part of a copy, whatever links to it: the webmaster's panel.
LEFT_OUT = "/admin"
REWRITTEN_TYPES = ("text/html", "text/css")


class ExportError(Exception):
    """The copy cannot be made; the message says why and what to do."""


class Limits(NamedTuple):
    """How much a copy may hold."""

    files: int = DEFAULT_MAX_FILES
    megabytes: int = DEFAULT_MAX_MEGABYTES


class Exported(NamedTuple):
    """What an export wrote."""

    pages: int
    files: int
    size: int
    seconds: float
    zip_size: int
    broken_links: list
    languages: list


def _check_folder(folder):
    if os.path.exists(folder):
        if not os.path.isdir(folder):
            raise ExportError(f"{folder} is not a folder")
        if os.listdir(folder):
            raise ExportError(f"{folder} is not empty: give a new or empty folder")
    else:
        parent = os.path.dirname(os.path.abspath(folder))
        if not os.path.isdir(parent):
            raise ExportError(f"the folder {parent} does not exist")
        os.mkdir(folder)


class _Crawl:
    """One crawl of the app into a folder."""

    def __init__(self, app, folder, options, limits):
        self.app = app
        self.folder = os.path.realpath(folder)
        self.client = app.test_client(use_cookies=False)
        self.base = app.config["PUBLIC_URL"]
        self.prefix = urlsplit(self.base).path
        self.options = options
        self.limits = limits
        self.exported, self.types, self.aliases = {}, {}, {}
        self.seen, self.queue = set(), deque()
        self.size = 0
        self.broken = []

    def add(self, path, found_on=None):
        if path is None or path in self.seen or path == LEFT_OUT or path.startswith(LEFT_OUT + "/"):
            return
        self.seen.add(path)
        self.queue.append((path, found_on))

    def run(self, seeds):
        for path in seeds:
            self.add(path)
        while self.queue:
            path, found_on = self.queue.popleft()
            self.visit(path, found_on)

    def visit(self, path, found_on):
        name = file_for(path)
        if name is None:
            return  # no file a plain web server could serve at this address: its links go to the live site
        # In an empty context, as a request to the server: the command's app context (and its `g`, where
        # the language of the first page would be kept) must not be shared by every page.
        response = contextvars.Context().run(self.client.get, path, base_url=self.base,
                                             environ_overrides={ENVIRON_KEY: self.options})
        try:
            if response.status_code in (301, 302, 303, 307, 308):
                target = Address(path, self.local(response.headers.get("Location", "")), self.prefix).followed_path()
                if target:
                    self.aliases[path] = target
                    self.add(target, found_on)
                return
            if response.status_code != 200:
                if found_on is not None:
                    self.broken.append((found_on, path, response.status_code))
                return
            body = response.get_data()
        finally:
            response.close()
        self.keep(path, name, body, response.mimetype)
        if response.mimetype == "text/html":
            links = page_links(body.decode("utf-8", "replace"))
        elif response.mimetype == "text/css":
            links = stylesheet_links(body.decode("utf-8", "replace"))
        elif path == "/sitemap.xml":
            links = [self.local(link) for link in sitemap_addresses(body.decode("utf-8", "replace"))]
        else:
            links = []
        for link in links:
            self.add(Address(path, link, self.prefix).followed_path(), path)

    def local(self, address):
        """An absolute address of the live site as the same path here; any other address as it is."""
        if address.startswith(self.base + "/"):
            return address[len(self.base) - len(self.prefix):]
        return address

    def keep(self, path, name, body, mimetype):
        if len(self.exported) >= self.limits.files:
            raise ExportError(f"the copy would hold more than {self.limits.files} files; "
                              "raise --max-files if the site really is that large")
        self.size += len(body)
        if self.size > self.limits.megabytes * MEGABYTE:
            raise ExportError(f"the copy would take more than {self.limits.megabytes} MB; "
                              "raise --max-mb if the site really is that large")
        target = os.path.realpath(os.path.join(self.folder, *name.split("/")))
        if not target.startswith(self.folder + os.sep):
            return  # a link through the folder's own links; never written outside the copy
        try:
            _write(target, body)
        except (IsADirectoryError, NotADirectoryError, FileExistsError):
            return  # one name wanted both as a file and as a folder: the first address keeps it
        except OSError as error:
            raise ExportError(f"cannot write {target}: {error.strerror}") from error
        self.exported[path] = name
        self.types[path] = mimetype

    def rewrite(self, offline):
        """Point every link of the copied pages and stylesheets at the copy, or at the live site."""
        rewriter = Rewriter(self.exported, self.aliases, self.base, self.prefix, offline)
        for path, name in self.exported.items():
            if self.types[path] not in REWRITTEN_TYPES:
                continue
            target = os.path.join(self.folder, *name.split("/"))
            with open(target, encoding="utf-8", errors="replace") as handle:
                text = handle.read()
            if self.types[path] == "text/html":
                text = rewriter.page(path, name, text)
            else:
                text = rewriter.stylesheet(path, name, text)
            _write(target, text.encode("utf-8"))


def _write(target, body):
    """Write a file whole: a web server serving the folder meanwhile never sees half a page."""
    os.makedirs(os.path.dirname(target), exist_ok=True)
    temporary = target + ".part"
    with open(temporary, "wb") as handle:
        handle.write(body)
    os.replace(temporary, target)


def language_homes(app):
    """{language code: the address of its home page}: the default language at /, the others at /<code>/."""
    with app.app_context():
        languages = languages_of(load_site() or {})
    return {code: "/" if position == 0 else f"/{code}/" for position, code in enumerate(languages)}


def seeds(app):
    """Where the crawl starts: each language's home page (one answering 404 is left out), robots.txt, the sitemap."""
    return list(language_homes(app).values()) + ["/robots.txt", "/sitemap.xml"]


def _empty(folder):
    """Remove what a failed export wrote: nobody must serve half a copy."""
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            os.remove(path)


def export_site(destination, offline=False, news_months=DEFAULT_NEWS_MONTHS, limits=Limits(), today=None):
    """Write the public site into the folder destination, or (offline) into the zip file destination."""
    app = current_app._get_current_object()
    started = time.monotonic()
    options = options_for(today or date.today(), news_months)
    if offline:
        if not destination.endswith(".zip"):
            raise ExportError("the offline copy is a .zip file: give a name ending in .zip")
        parent = os.path.dirname(os.path.abspath(destination))
        if not os.path.isdir(parent):
            raise ExportError(f"the folder {parent} does not exist")
        folder = tempfile.mkdtemp(prefix=".export-", dir=parent)
    else:
        _check_folder(destination)
        folder = destination
    try:
        crawl = _Crawl(app, folder, options, limits)
        crawl.run(seeds(app))
        if "/" not in crawl.exported:
            raise ExportError("the home page did not answer: is a province loaded in the data folder?")
        crawl.rewrite(offline)
        zip_size = _zip(folder, destination) if offline else 0
    except BaseException:
        if not offline:
            _empty(folder)
        raise
    finally:
        if offline:
            shutil.rmtree(folder, ignore_errors=True)
    pages = sum(1 for kind in crawl.types.values() if kind == "text/html")
    languages = [code for code, home in language_homes(app).items() if home in crawl.exported]
    return Exported(pages, len(crawl.exported), crawl.size, time.monotonic() - started, zip_size,
                    crawl.broken, languages)


def _zip(folder, destination):
    """Zip the folder into destination (replaced whole, never half-written); its size."""
    temporary = destination + ".part"
    try:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
            for root, folders, files in os.walk(folder):
                folders.sort()
                for name in sorted(files):
                    path = os.path.join(root, name)
                    archive.write(path, os.path.relpath(path, folder))
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, destination)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)
        raise
    return os.path.getsize(destination)
