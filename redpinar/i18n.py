"""Spanish first, English second: the language of a page comes from its address.

Public and participation pages: `/en/…` is English, the root is the province's default language
(redpinar/addresses.py). The panel keeps choosing its own: ?lang=, then a cookie, then the browser.
"""
from flask import current_app, g, has_request_context, request
from flask_babel import Babel

from .addresses import addressed_language, in_panel, site_languages

LANGUAGE_COOKIE = "lang"
ONE_YEAR = 365 * 24 * 3600

babel = Babel()


def select_locale():
    """The address's language; in the panel ?lang=, the cookie, Accept-Language; else the default."""
    if not has_request_context():
        return site_languages()[0]
    addressed = addressed_language()
    if addressed:
        return addressed
    languages = site_languages()
    if not in_panel():
        return languages[0]
    for candidate in (request.args.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if candidate in languages:
            return candidate
    return request.accept_languages.best_match(languages) or languages[0]


def select_timezone():
    """Dates and times are shown in the province's time zone."""
    return (g.get("site") or {}).get("timezone", "America/Havana")


def remember_language(response):
    """In the panel, keep a language chosen with ?lang= in a cookie for the next visits."""
    if not in_panel():
        return response
    chosen = request.args.get("lang")
    if chosen in site_languages() and request.cookies.get(LANGUAGE_COOKIE) != chosen:
        response.set_cookie(
            LANGUAGE_COOKIE, chosen, max_age=ONE_YEAR, httponly=True, samesite="Lax",
            secure=current_app.config["HTTPS"],
        )
    response.vary.add("Cookie")
    response.vary.add("Accept-Language")
    return response


def init_app(app):
    """Bind Flask-Babel and the cookie that remembers the panel's language."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.after_request(remember_language)
