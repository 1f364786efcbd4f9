"""One address per language: the province's default language at the root, every other under /<code>/.

A WSGI layer moves a leading `/en` of the path into SCRIPT_NAME and marks the request's language, so
Flask routes `/en/tramites/x/` like `/tramites/x/` and every `url_for` in an English page builds
`/en/…` links without any template knowing. Static files, the theme's and the media files, robots.txt,
the sitemap and the panel have one address only (one cached copy; the panel keeps choosing its own
language). Public pages never depend on Accept-Language or a cookie: the address alone decides.
"""
from urllib.parse import urlencode, urlsplit, urlunsplit

from flask import Flask, abort, current_app, g, has_request_context, redirect, request
from flask_babel import get_locale

from .store.site import SUPPORTED_LANGUAGES, load_site

LANGUAGE_KEY = "redpinar.language"
ROOT_KEY = "redpinar.root"
# One address for every language.
UNPREFIXED_ENDPOINTS = frozenset({"static", "theme_static", "public.media_file", "public.robots", "public.sitemap"})
UNPREFIXED_BLUEPRINTS = ("admin",)
PANEL_PATH = "/admin"
LANGUAGE_PARAMETER = "lang"


def languages_of(site):
    """Languages a province's settings offer, default first."""
    languages = [code for code in site.get("languages", ["es", "en"]) if code]
    default = site.get("default_language", "es")
    return [default] + [code for code in languages if code != default]


def site_languages():
    """Languages the province offers, default first (read from disk outside a request)."""
    return languages_of(g.get("site") or load_site())


def language_prefix(language):
    """'' for the province's default language, '/en' for another one."""
    return "" if language == site_languages()[0] else "/" + language


def has_own_address(endpoint):
    """True when an endpoint has one address per language (public and participation pages)."""
    if not endpoint or endpoint in UNPREFIXED_ENDPOINTS:
        return False
    return endpoint.partition(".")[0] not in UNPREFIXED_BLUEPRINTS


def addressed_language():
    """The language a request's address names ('en' for /en/…), or None at the root."""
    return request.environ.get(LANGUAGE_KEY) if has_request_context() else None


def in_panel():
    """True for the webmaster's panel, which chooses its language the old way (?lang=, cookie, browser)."""
    return request.blueprint in UNPREFIXED_BLUEPRINTS or request.path == PANEL_PATH \
        or request.path.startswith(PANEL_PATH + "/")


def page_language():
    """The language of the page being answered (or of force_locale), the default one outside any."""
    locale = get_locale()
    return str(locale) if locale else site_languages()[0]


def _root():
    """The portal's own mount point, without any language prefix."""
    if has_request_context():
        return request.environ.get(ROOT_KEY, request.script_root).rstrip("/")
    return current_app.config.get("APPLICATION_ROOT", "/").rstrip("/")


def kept_query():
    """The query arguments that mean something on this page (its declared filters), without ?lang=."""
    view = current_app.view_functions.get(request.endpoint)
    declared = getattr(view, "query_parameters", None)
    return [(name, value) for name, value in request.args.items(multi=True)
            if name != LANGUAGE_PARAMETER and (declared is None or name in declared)]


def path_in(language, query=None):
    """The address of this page in a language, from the portal's root (query string kept)."""
    path = _root() + language_prefix(language) + request.path
    arguments = kept_query() if query is None else query
    return path + ("?" + urlencode(arguments) if arguments else "")


def versions_of_this_page():
    """(hreflang, path from the portal's root) for each language of this page, then x-default."""
    if not has_own_address(request.endpoint):
        return []
    languages = site_languages()
    versions = [(code, language_prefix(code) + request.path) for code in languages]
    arguments = kept_query()
    query = "?" + urlencode(arguments) if arguments else ""
    versions = [(code, path + query) for code, path in versions]
    return versions + [("x-default", versions[0][1])]


def _swap_root(address, old, new):
    """The address with its path's leading `old` replaced by `new` (relative or absolute address)."""
    if address.startswith("/"):
        return new + address[len(old):] if address.startswith(old) else address
    parts = urlsplit(address)
    if not parts.path.startswith(old):
        return address
    return urlunsplit(parts._replace(path=new + parts.path[len(old):]))


class Portal(Flask):
    """Flask whose url_for follows the page's language; `_language="en"` asks for another one."""

    def url_for(self, endpoint, /, *, _language=None, **values):
        """The address of an endpoint in the page's language (or `_language`), one address for files."""
        address = super().url_for(endpoint, **values)
        current = addressed_language()
        if _language is None and current is None:
            return address
        if endpoint.startswith(".") and has_request_context() and request.blueprint:
            endpoint = request.blueprint + endpoint
        wanted = (_language or current) if has_own_address(endpoint) else None
        root = _root()
        # The address was built under the request's own prefix, whatever the province offers.
        old = root + ("/" + current if current else "")
        new = root + (language_prefix(wanted) if wanted else "")
        return _swap_root(address, old, new) if old != new else address


class LanguagePrefix:
    """WSGI layer: `/en/…` becomes SCRIPT_NAME `…/en` and PATH_INFO `/…`, with the language marked."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app
        self.prefixes = tuple(("/" + code, code) for code in SUPPORTED_LANGUAGES)

    def __call__(self, environ, start_response):
        """Shift a leading language code into SCRIPT_NAME; `/en` alone goes to `/en/`."""
        path = environ.get("PATH_INFO", "")
        for prefix, code in self.prefixes:
            if path == prefix:
                query = environ.get("QUERY_STRING")
                location = environ.get("SCRIPT_NAME", "").rstrip("/") + prefix + "/" + ("?" + query if query else "")
                start_response("301 MOVED PERMANENTLY", [
                    ("Location", location), ("Content-Type", "text/plain; charset=utf-8"),
                    ("Cache-Control", "public, max-age=3600"), ("Content-Length", "0")])
                return []
            if path.startswith(prefix + "/"):
                root = environ.get("SCRIPT_NAME", "").rstrip("/")
                environ[ROOT_KEY] = root
                environ["SCRIPT_NAME"] = root + prefix
                environ["PATH_INFO"] = path[len(prefix):]
                environ[LANGUAGE_KEY] = code
                break
        return self.wsgi_app(environ, start_response)


def check_address():
    """404 for a language the province does not offer under /<code>/ (or a file, robots, the panel there);
    301 from an old `?lang=` address to the address of that language."""
    language = addressed_language()
    languages = site_languages()
    # A request that matched no route (a 404 or 405 of its own) keeps its own answer, in the address's language.
    one_address_only = in_panel() or (request.endpoint is not None and not has_own_address(request.endpoint))
    if language is not None and (language not in languages[1:] or one_address_only):
        abort(404)
    if LANGUAGE_PARAMETER not in request.args or not has_own_address(request.endpoint) \
            or request.method not in ("GET", "HEAD"):
        return None
    chosen = request.args.get(LANGUAGE_PARAMETER)
    target = chosen if chosen in languages else (language or languages[0])
    query = [(name, value) for name, value in request.args.items(multi=True) if name != LANGUAGE_PARAMETER]
    path = _root() + language_prefix(target) + request.path
    return redirect(path + ("?" + urlencode(query) if query else ""), 301)


def init_app(app):
    """Check each request's language address (after the province is loaded) and put the layer in front."""
    app.before_request(check_address)
    app.wsgi_app = LanguagePrefix(app.wsgi_app)
