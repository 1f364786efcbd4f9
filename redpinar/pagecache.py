"""Public pages kept in memory until something they show changes.

A page is rendered once per address, language and version of the content, then served
from memory. The key holds every content file's version, site.json's, the month
folders of submissions (topic pages show published questions) and the current minute
(pages show what is upcoming or in force now, and scheduled content appears on time).
"""
import threading
import time

from flask import current_app, request
from flask_babel import get_locale

from .store import db
from .store.content import COLLECTIONS
from .store.figures import figures_key
from .store.paths import collection_path
from .store.site import site_path

MAX_PAGES = 2000
# Pages that are the same for every visitor (search results too: the key holds the query);
# forms with tokens and personal pages are never kept.
CACHEABLE_PREFIX = "public."
NOT_CACHED = ()


class PageCache:
    """Rendered responses by key, behind a lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pages = {}

    def get(self, key):
        """A kept (body, status, headers), or None."""
        with self.lock:
            return self.pages.get(key)

    def put(self, key, page):
        """Keep a page; when full, start again (old versions are never asked for again)."""
        with self.lock:
            if len(self.pages) >= MAX_PAGES:
                self.pages.clear()
            self.pages[key] = page


def _key():
    versions = tuple(db.version_of(collection_path(name)) for name in COLLECTIONS)
    return (
        request.endpoint, request.path, tuple(sorted(request.args.items(multi=True))), str(get_locale()),
        versions, db.version_of(site_path()),
        figures_key() if request.endpoint == "public.topic" else None, int(time.time() // 60),
    )


def _cacheable():
    endpoint = request.endpoint or ""
    return (request.method in ("GET", "HEAD") and endpoint.startswith(CACHEABLE_PREFIX)
            and endpoint not in NOT_CACHED and not current_app.config.get("TESTING_NO_PAGE_CACHE"))


def init_app(app):
    """Serve kept pages before the view runs; keep new ones after it."""
    cache = PageCache()
    app.extensions["redpinar_pages"] = cache

    @app.before_request
    def serve_kept_page():
        if not _cacheable():
            return None
        request.page_key = _key()
        kept = cache.get(request.page_key)
        if kept is None:
            return None
        body, status, headers = kept
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
            cache.put(key, (response.get_data(), 200, headers))
        return response
