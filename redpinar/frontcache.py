"""Kept pages answered in front of Flask: no request context, no routing, no hooks.

The first anonymous request for a public page goes through Flask as usual; when Flask says the
page is the same for every anonymous visitor (pagecache marks it) and the answer is `public`, the
exact status, headers and body are kept, gzipped or not as that request asked. Later requests with
the same address (the language is part of it: `/en/…`), encoding, content versions and minute get
those bytes straight away; Accept-Language and the old language cookie change nothing.

Requests that go through Flask instead: other methods, a webmaster's session cookie (a session
cookie without a logged-in user, such as a form's token, changes nothing on public pages), If-Match
or Range headers.
"""
import functools
import time

from werkzeug.datastructures import Accept, Headers
from werkzeug.http import http_date, is_resource_modified, parse_accept_header, parse_cookie, remove_entity_headers

from .bounded import BoundedCache
from .cachecontrol import PUBLIC_PREFIX
from .pagecache import KEPT_MARK, MAX_PAGES, PAGE_OVERHEAD_BYTES
from .sitecopy.mode import ENVIRON_KEY as SITE_COPY_KEY
from .store import db
from .store.content import COLLECTIONS
from .store.paths import collection_path
from .store.request_forms import forms_path
from .store.site import site_path

# The kept pages of Flask's path hold each page once; these hold it once per encoding.
FRONT_SHARE = 2
# Files written by another process (another waitress, a command) are looked at this often; this
# process's own writes count at once.
CHECK_SECONDS = 0.1
PASSED_HEADERS = ("HTTP_IF_MATCH", "HTTP_RANGE", "HTTP_IF_RANGE")


@functools.lru_cache(maxsize=256)
def _wants_gzip(accept_encoding):
    return parse_accept_header(accept_encoding, Accept)["gzip"] > 0


class FrontCache:
    """A WSGI layer answering kept public pages before the Flask app below it."""

    def __init__(self, app, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app
        self.pages = BoundedCache(app.config["PAGE_CACHE_BYTES"] // FRONT_SHARE, MAX_PAGES)
        self.session_cookie = app.config["SESSION_COOKIE_NAME"]
        with app.app_context():
            self.site_file = site_path()
            # Request forms too: a procedure's card offers online requests once its form is saved.
            self.files = tuple(collection_path(name) for name in COLLECTIONS) + (self.site_file, forms_path())
        self.served = 0
        self._content = (None, None, 0.0)  # (writes seen, versions, checked until)

    def __call__(self, environ, start_response):
        """Answer from the kept pages when possible, else through Flask (keeping what it answers)."""
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or not self._anonymous(environ) \
                or any(name in environ for name in PASSED_HEADERS) or self.app.config.get("TESTING_NO_PAGE_CACHE") \
                or SITE_COPY_KEY in environ:
            return self.wsgi_app(environ, start_response)
        key = self._key(environ)
        kept = self.pages.get(key)
        if kept is None:
            return self._through_flask(key, environ, start_response)
        self.served += 1
        return self._answer(kept, environ, start_response)

    def _anonymous(self, environ):
        cookies = environ.get("HTTP_COOKIE")
        if not cookies:
            return True
        value = parse_cookie(cookies).get(self.session_cookie)
        return not value or not self._logged_in(value)

    def _logged_in(self, value):
        # The cookie is signed, not encrypted: its content is read the way Flask reads it. One that fails
        # its signature is an empty session for Flask too.
        serializer = self.app.session_interface.get_signing_serializer(self.app)
        try:
            return "_user_id" in serializer.loads(value)
        except Exception:
            return False

    def _versions(self):
        """The content files' versions (site.json's too), read again after a write or CHECK_SECONDS."""
        writes, content, until = self._content
        now = time.monotonic()
        if writes == db.writes_in_this_process() and now < until:
            return content
        # Read before the versions: a write landing meanwhile makes the next request look again.
        writes = db.writes_in_this_process()
        # db.version_of is a stat of the file (another process's writes count) or this process's own counter.
        versions = tuple(db.version_of(path) for path in self.files)
        self._content = (writes, versions, now + CHECK_SECONDS)
        return versions

    def _key(self, environ):
        # The address holds the language (the language layer below has not moved `/en` yet).
        return (environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""),
                _wants_gzip(environ.get("HTTP_ACCEPT_ENCODING", "")), self._versions(), int(time.time() // 60))

    def _through_flask(self, key, environ, start_response):
        captured = []

        def capture(status, headers, exc_info=None):
            captured[:] = [status, headers]
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, capture)
        if not self._keepable(environ, captured):
            return body
        try:
            data = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        status, headers = captured
        size = len(data) + sum(len(name) + len(value) for name, value in headers) + len(key[1]) + len(key[2])
        self.pages.put(key, (status, headers, data), size + PAGE_OVERHEAD_BYTES)
        return [data]

    @staticmethod
    def _keepable(environ, captured):
        if environ["REQUEST_METHOD"] != "GET" or not environ.get(KEPT_MARK) or not captured:
            return False
        status, headers = captured
        names = {name.lower(): value for name, value in headers}
        return (status.startswith("200 ") and "set-cookie" not in names and "etag" in names
                and names.get("cache-control", "").startswith(PUBLIC_PREFIX.rstrip(".")))

    @staticmethod
    def _answer(kept, environ, start_response):
        status, headers, data = kept
        # The Date the first answer had would be wrong now.
        headers = [pair for pair in headers if pair[0] != "Date"] + [("Date", _now_as_http_date())]
        if "HTTP_IF_NONE_MATCH" in environ and not is_resource_modified(environ, etag=_etag(headers)):
            # As werkzeug answers it in Flask's path: the entity headers go, the rest stays.
            headers = Headers(headers)
            remove_entity_headers(headers)
            start_response("304 NOT MODIFIED", headers.to_wsgi_list())
            return []
        start_response(status, headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [data]


def _etag(headers):
    return next((value for name, value in headers if name.lower() == "etag"), None)


_date = [0, ""]


def _now_as_http_date():
    # Formatting a date costs more than the rest of a kept answer: once a second is enough.
    second = int(time.time())
    if _date[0] != second:
        _date[:] = [second, http_date(second)]
    return _date[1]


def init_app(app):
    """Put the layer in front of the app's WSGI callable."""
    front = FrontCache(app, app.wsgi_app)
    app.wsgi_app = front
    app.extensions["redpinar_front"] = front
