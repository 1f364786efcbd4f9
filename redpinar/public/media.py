"""The webmaster's published images and documents, served from the data folder through the store."""
from flask import send_file
from flask_login import current_user

from ..store.media import served_file
from . import bp

ONE_YEAR = 365 * 24 * 3600


@bp.route("/medios/<name>")
def media_file(name):
    """One stored file: images inline and cached for a year, documents always as a download."""
    stored = served_file(name)  # InvalidName and NotFound become the 404 page
    response = send_file(stored.path, mimetype=stored.content_type, as_attachment=not stored.inline,
                         download_name=stored.download_name, conditional=True, max_age=ONE_YEAR)
    # A name is never reused for other content, so a copy never needs checking again. A logged-in
    # webmaster's response also carries the session cookie: that one stays out of shared caches.
    scope = "private" if current_user.is_authenticated else "public"
    response.headers["Cache-Control"] = f"{scope}, max-age={ONE_YEAR}, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Nothing served here may run script, even if a browser were to render it as a page.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
