"""Light responses: fingerprinted static files cached for a year, ETags, gzip."""
import gzip
import hashlib
import os
import threading

from flask import current_app, request, send_from_directory
from werkzeug.security import safe_join

from .bounded import BoundedCache
from .store.site import theme_static_file, theme_static_folder

ONE_YEAR = 365 * 24 * 3600
COMPRESSIBLE = {
    "text/html", "text/css", "text/plain", "text/csv", "text/calendar", "text/xml",
    "application/xml", "application/atom+xml", "application/json", "application/javascript",
    "image/svg+xml",
}
MINIMUM_GZIP_BYTES = 512
STATIC_ENDPOINTS = ("static", "theme_static")
KEPT_COMPRESSED = 1000
# Compressed bodies are about a fifth of the pages: a quarter of the pages' budget holds them all.
COMPRESSED_SHARE = 4


class Fingerprints:
    """Content hashes of static files, recomputed only when a file's stat changes."""

    def __init__(self):
        self._lock = threading.Lock()
        self._known = {}

    def of(self, path):
        """A short hash of the file's content ('' when it does not exist)."""
        try:
            stat = os.stat(path)
        except (OSError, TypeError):
            return ""
        key = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            known = self._known.get(path)
            if known and known[0] == key:
                return known[1]
        with open(path, "rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()[:12]
        with self._lock:
            self._known[path] = (key, digest)
        return digest


def init_app(app):
    """Add ?v=<hash> to static URLs, long cache lifetimes, ETags and gzip."""
    fingerprints = Fingerprints()
    app.extensions["redpinar_gzip"] = BoundedCache(app.config["PAGE_CACHE_BYTES"] // COMPRESSED_SHARE,
                                                   KEPT_COMPRESSED)

    @app.route("/tema/<path:filename>", endpoint="theme_static")
    def theme_static(filename):
        """The province's logo and other theme files from the data folder."""
        return send_from_directory(theme_static_folder(), filename)

    @app.url_defaults
    def add_fingerprint(endpoint, values):
        if endpoint not in STATIC_ENDPOINTS or "filename" not in values or "v" in values:
            return
        if endpoint == "static":
            path = safe_join(app.static_folder, values["filename"])
        else:
            try:
                path = theme_static_file(values["filename"])
            except Exception:
                return
        digest = fingerprints.of(path)
        if digest:
            values["v"] = digest

    @app.after_request
    def finish_response(response):
        if request.endpoint in STATIC_ENDPOINTS and response.status_code in (200, 304):
            lifetime = ONE_YEAR if request.args.get("v") else 3600
            response.headers["Cache-Control"] = f"public, max-age={lifetime}" + (
                ", immutable" if lifetime == ONE_YEAR else "")
        compressible = _compressible(response)
        if compressible:
            response.vary.add("Accept-Encoding")
        wants_gzip = compressible and _accepts_gzip()
        if request.method in ("GET", "HEAD") and response.status_code == 200 and not response.direct_passthrough:
            if not response.get_etag()[0]:
                response.body_digest = hashlib.sha256(response.get_data()).digest()
                response.set_etag(response.body_digest.hex()[:20], weak=True)
            response.make_conditional(request)
        if wants_gzip and response.status_code != 304:
            _gzip(response)
        return response


def _accepts_gzip():
    return request.accept_encodings["gzip"] > 0


def _compressible(response):
    if response.mimetype not in COMPRESSIBLE or "Content-Encoding" in response.headers:
        return False
    return response.direct_passthrough or not response.is_streamed


def _gzip(response):
    if response.direct_passthrough:
        # A static file: read it so it can be compressed (they are all small).
        response.direct_passthrough = False
    data = response.get_data()
    if len(data) < MINIMUM_GZIP_BYTES:
        return
    # The ETag's hash of the same body, when there is one: one hash per response is enough.
    digest = getattr(response, "body_digest", None) or hashlib.sha256(data).digest()
    kept = current_app.extensions["redpinar_gzip"]
    compressed = kept.get(digest)
    if compressed is None:
        compressed = gzip.compress(data, compresslevel=6, mtime=0)
        kept.put(digest, compressed, len(compressed) + len(digest))
    response.set_data(compressed)
    response.headers["Content-Encoding"] = "gzip"
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(etag, weak=True)
