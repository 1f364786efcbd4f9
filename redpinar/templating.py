"""What every template can use: the province, the language, navigation, dates."""
from urllib.parse import urlencode

from flask import current_app, g, request, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from .i18n import site_languages
from .store.site import DEFAULT_SITE, localized

# The parts of the portal, in menu order; a part shows once its blueprint is installed.
NAVIGATION = (
    ("public.home", _l("Inicio")),
    ("public.procedures", _l("Trámites")),
    ("public.topics", _l("Temas")),
    ("public.entities", _l("Entidades")),
    ("public.news", _l("Noticias")),
    ("public.notices", _l("Avisos")),
    ("public.events", _l("Eventos")),
    ("participation.submit", _l("Participa")),
    ("participation.tracking", _l("Seguimiento")),
    ("participation.transparency", _l("Transparencia")),
    ("services.appointments", _l("Citas")),
)
LANGUAGE_NAMES = {"es": "Español", "en": "English"}


def navigation():
    """(url, label, current) for each part of the portal that exists."""
    items = []
    for endpoint, label in NAVIGATION:
        if endpoint in current_app.view_functions:
            items.append((url_for(endpoint), label, request.endpoint == endpoint))
    return items


def language_links():
    """(code, name, url) for switching to each other language on the same page."""
    current = str(get_locale())
    links = []
    for code in site_languages():
        if code != current:
            arguments = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
            query = urlencode(arguments + [("lang", code)])
            links.append((code, LANGUAGE_NAMES.get(code, code), f"{request.path}?{query}"))
    return links


def init_app(app):
    """Register the context processor and filters."""

    @app.context_processor
    def portal_context():
        site = g.get("site") or DEFAULT_SITE
        language = str(get_locale())
        return {
            "site": site,
            "language": language,
            "navigation": navigation,
            "language_links": language_links,
            "has_endpoint": lambda endpoint: endpoint in current_app.view_functions,
        }

    @app.template_filter("t")
    def translate_field(value):
        """The visitor's language version of a {language: text} field."""
        return localized(value, str(get_locale()))

    @app.template_filter("date")
    def date_filter(value, style="long"):
        """A date in the visitor's language."""
        return format_date(value, style) if value else ""

    @app.template_filter("datetime")
    def datetime_filter(value, style="medium"):
        """A date and time in the visitor's language and the province's time zone."""
        return format_datetime(value, style) if value else ""

    @app.template_global("theme_style")
    def theme_style():
        """The inline rule with the province's colours (allowed by its hash in the CSP)."""
        return Markup(g.get("theme_css") or "")
