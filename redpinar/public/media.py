"""The webmaster's published images and documents, served from the data folder through the store."""
from flask import send_file
from flask_login import current_user

from ..store.media import served_file
from . import bp

# A file can be replaced under the same name (the webmaster's "Sustituir"), so copies are kept an hour,
# then checked again cheaply with their ETag: a replacement reaches every visitor within the hour.
MAX_AGE = 3600


@bp.route("/medios/<name>")
def media_file(name):
    """One stored file: images inline, documents always as a download; copies kept an hour, then revalidated."""
    stored = served_file(name)  # InvalidName and NotFound become the 404 page
    response = send_file(stored.path, mimetype=stored.content_type, as_attachment=not stored.inline,
                         download_name=stored.download_name, conditional=True, max_age=MAX_AGE)
    # A logged-in webmaster's response also carries the session cookie: that one stays out of shared caches.
    scope = "private" if current_user.is_authenticated else "public"
    response.headers["Cache-Control"] = f"{scope}, max-age={MAX_AGE}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Nothing served here may run script, even if a browser were to render it as a page.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
