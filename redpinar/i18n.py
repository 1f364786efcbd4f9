"""Spanish first, English second: choosing the visitor's language and remembering it."""
from flask import current_app, g, request
from flask_babel import Babel

LANGUAGE_COOKIE = "lang"
ONE_YEAR = 365 * 24 * 3600

babel = Babel()


def site_languages():
    """Languages the province offers, default first."""
    return languages_of(g.get("site") or {})


def languages_of(site):
    """Languages a province's settings offer, default first."""
    languages = [code for code in site.get("languages", ["es", "en"]) if code]
    default = site.get("default_language", "es")
    return [default] + [code for code in languages if code != default]


def select_locale():
    """?lang=, then the cookie, then Accept-Language, then the province's default."""
    languages = site_languages()
    for candidate in (request.args.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if candidate in languages:
            return candidate
    return request.accept_languages.best_match(languages) or languages[0]


def select_timezone():
    """Dates and times are shown in the province's time zone."""
    return (g.get("site") or {}).get("timezone", "America/Havana")


def remember_language(response):
    """Keep a language chosen with ?lang= in a cookie for the next visits."""
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
    """Bind Flask-Babel and the cookie that remembers the language."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.after_request(remember_language)
