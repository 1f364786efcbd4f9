"""Public pages kept in memory until something they show changes.

A page is rendered once per address, language and version of the content, then served
from memory. The key holds every content file's version, site.json's, the month
folders of submissions (topic pages show published questions) and the current minute
(pages show what is upcoming or in force now, and scheduled content appears on time).
"""
import time

from flask import current_app, request
from flask_babel import get_locale

from .bounded import BoundedCache
from .cachecontrol import logged_in
from .sitecopy.mode import ENVIRON_KEY as SITE_COPY_KEY
from .store import db
from .store.content import COLLECTIONS
from .store.figures import figures_key
from .store.paths import collection_path
from .store.request_forms import forms_path
from .store.site import site_path

MAX_PAGES = 2000
# What a kept page costs besides its body: the key, the headers, the objects holding them.
PAGE_OVERHEAD_BYTES = 1024
# Pages that are the same for every visitor (search results too: the key holds the query);
# forms with tokens and personal pages are never kept.
CACHEABLE_PREFIX = "public."
NOT_CACHED = ()
# Set in the WSGI environ of a request whose page is the same for every anonymous visitor (frontcache keeps it).
KEPT_MARK = "redpinar.kept"
# No page reads a query parameter it does not declare with @query_parameters (?lang= is redirected).
ALWAYS_READ = frozenset()


def query_parameters(*names):
    """Declare the query parameters a public page reads: only these may be in the key of a kept page.

    A request with any other parameter is answered but not kept, so made-up query strings cannot fill the
    memory; the links to the page in another language keep only these parameters.
    """
    def declare(view):
        view.query_parameters = frozenset(names) | ALWAYS_READ
        return view
    return declare


def _query_key():
    """The query string's part of the key, or None when it holds a parameter the page does not read."""
    view = current_app.view_functions.get(request.endpoint)
    reads = getattr(view, "query_parameters", ALWAYS_READ)
    if any(name not in reads for name in request.args):
        return None
    return tuple(sorted(request.args.items(multi=True)))


def _key(query):
    versions = tuple(db.version_of(collection_path(name)) for name in COLLECTIONS)
    return (
        request.endpoint, request.script_root + request.path, query, str(get_locale()),
        versions, db.version_of(site_path()),
        figures_key() if request.endpoint == "public.topic" else None, int(time.time() // 60),
        # A procedure's card offers online requests once its form is saved.
        db.version_of(forms_path()) if request.endpoint == "public.procedure" else None,
    )


def _page_size(key, body, headers):
    texts = [key[1]] + [part for pair in key[2] for part in pair] + [part for pair in headers for part in pair]
    return len(body) + sum(len(text) for text in texts) + PAGE_OVERHEAD_BYTES


def _cacheable():
    endpoint = request.endpoint or ""
    return (request.method in ("GET", "HEAD") and endpoint.startswith(CACHEABLE_PREFIX)
            and endpoint not in NOT_CACHED and not current_app.config.get("TESTING_NO_PAGE_CACHE")
            # A page rendered for a copy of the site is not the live page.
            and SITE_COPY_KEY not in request.environ
            # A webmaster never gets a kept page, nor leaves one.
            and not logged_in())


def _mark_for_the_front_layer(key):
    # Only pages kept here (not files, which may go without any content version changing), and not the
    # topic pages, which also depend on the submissions' folders that the front layer does not check.
    if key[6] is None:
        request.environ[KEPT_MARK] = True


def init_app(app):
    """Serve kept pages before the view runs; keep new ones after it."""
    # Old versions of a page (the key holds the minute and the content's versions) are never asked
    # for again: they are the least recently used and go first.
    cache = BoundedCache(app.config["PAGE_CACHE_BYTES"], MAX_PAGES)
    app.extensions["redpinar_pages"] = cache

    @app.before_request
    def serve_kept_page():
        if not _cacheable():
            return None
        query = _query_key()
        if query is None:
            return None
        request.page_key = _key(query)
        kept = cache.get(request.page_key)
        if kept is None:
            return None
        body, status, headers = kept
        _mark_for_the_front_layer(request.page_key)
        response = app.response_class(body, status=status, headers=headers)
        response.from_page_cache = True
        return response

    @app.after_request
    def keep_page(response):
        key = getattr(request, "page_key", None)
        if key is not None and response.status_code == 200 and not response.direct_passthrough \
                and "Set-Cookie" not in response.headers and not getattr(response, "from_page_cache", False):
            headers = [(name, value) for name, value in response.headers.items()
                       if name in ("Content-Type", "Content-Disposition")]
            body = response.get_data()
            cache.put(key, (body, 200, headers), _page_size(key, body, headers))
            _mark_for_the_front_layer(key)
        return response
