"""Who may store a response: shared caches keep anonymous public pages, nothing else.

Public pages are the same for every anonymous visitor: any proxy may keep them for a minute
(a short max-age, because a change made in the panel must show soon) and serve them for a day
while the portal cannot answer (stale-if-error). Pages with a form token, receipts, tracking
pages and the panel hold one person's data: `private, no-store`.
"""
from flask import request, session

from .delivery import STATIC_ENDPOINTS

PUBLIC_MAX_AGE = 60
STALE_IF_ERROR = 24 * 3600
SHARED = f"public, max-age={PUBLIC_MAX_AGE}, stale-if-error={STALE_IF_ERROR}"
PERSONAL = "private, no-store"
PUBLIC_PREFIX = "public."
# Statuses a shared cache may keep for a public address (a 404 is as public as the page it replaces).
SHAREABLE_STATUSES = {200, 203, 301, 304, 308, 404, 410}


def logged_in():
    """True when the request's session belongs to a webmaster (read without changing the session)."""
    return "_user_id" in session


def is_shared(response):
    """True when any cache may keep this response and give it to anybody."""
    return ((request.endpoint or "").startswith(PUBLIC_PREFIX) and request.method in ("GET", "HEAD")
            and response.status_code in SHAREABLE_STATUSES and "Set-Cookie" not in response.headers
            and not session.modified and not logged_in())


def set_cache_control(response):
    """`public` with a short lifetime for anonymous public pages, `private, no-store` for the rest."""
    if request.endpoint in STATIC_ENDPOINTS:
        return response
    # A view that chose its own lifetime (the media files) keeps it, within the same scope.
    chosen = response.headers.get("Cache-Control", "")
    if is_shared(response):
        response.headers["Cache-Control"] = chosen if chosen.startswith("public") else SHARED
        # The address alone chose the language: neither a cookie nor Accept-Language changes the page.
        response.vary = [name for name in response.vary if name.lower() not in ("cookie", "accept-language")]
        # Looking whether a webmaster is logged in read the session; what the page shows did not depend on
        # it, so Flask must not add `Vary: Cookie` when it saves the (unchanged) session.
        session.accessed = False
    elif not chosen.startswith("private"):
        response.headers["Cache-Control"] = PERSONAL
    return response


def init_app(app):
    """Register the hook; it must run after every hook that may add a cookie (register it first)."""
    app.after_request(set_cache_control)
