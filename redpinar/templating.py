"""What every template can use: the province, the language, navigation, dates."""
from datetime import date, datetime, timezone
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import current_app, g, request, url_for
from babel import dates
from flask_babel import format_date, format_decimal, format_percent, get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from .addresses import has_own_address, in_panel, language_prefix, path_in, site_languages, versions_of_this_page
from .province import Refused
from .store.site import DEFAULT_SITE, localized
from .urls import absolute, public_url

# The parts of the portal, in menu order; a part shows once its blueprint is installed.
NAVIGATION = (
    ("public.home", _l("Inicio")),
    ("public.procedures", _l("Trámites")),
    ("public.guides", _l("Guías")),
    ("public.topics", _l("Temas")),
    ("public.news", _l("Noticias")),
    ("public.notices", _l("Avisos")),
    ("public.events", _l("Eventos")),
    ("participation.submit", _l("Participa")),
    ("services.appointments", _l("Citas")),
)
# Linked from the footer of every page.
MORE_LINKS = (
    ("public.entities", _l("Entidades")),
    ("participation.tracking", _l("Seguimiento de mensajes")),
    ("participation.transparency", _l("Transparencia")),
    ("participation.open_data", _l("Datos abiertos")),
)
LANGUAGE_NAMES = {"es": "Español", "en": "English"}


def province_zone():
    """The province's time zone."""
    return ZoneInfo((g.get("site") or DEFAULT_SITE).get("timezone", "America/Havana"))


def _parse_moment(value):
    """A date or aware datetime from stored ISO 8601 text."""
    if len(value) == 10:
        return date.fromisoformat(value)
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def navigation(links=NAVIGATION):
    """(url, label, current) for each part of the portal that exists."""
    items = []
    for endpoint, label in links:
        if endpoint in current_app.view_functions:
            items.append((url_for(endpoint), label, request.endpoint == endpoint))
    return items


def language_links():
    """(code, name, url) for switching to each other language: the same page at its other address.

    The panel has one address for every language: there the link asks with ?lang=.
    """
    current = str(get_locale())
    links = []
    for code in site_languages():
        if code == current:
            continue
        if in_panel():
            arguments = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
            url = f"{request.path}?{urlencode(arguments + [('lang', code)])}"
        else:
            url = path_in(code)
        links.append((code, LANGUAGE_NAMES.get(code, code), url))
    return links


def this_page_address():
    """The public (absolute) address of this page in its own language."""
    language = str(get_locale())
    return absolute((language_prefix(language) if has_own_address(request.endpoint) else "") + request.path)


def init_app(app):
    """Register the context processor and filters."""
    # Flask offers the whole config (the secret key, SMTP password) to every template; none needs it,
    # and a province template that asks for it gets nothing rather than an error page.
    app.jinja_env.globals["config"] = Refused(name="config")

    @app.context_processor
    def portal_context():
        site = g.get("site") or DEFAULT_SITE
        language = str(get_locale())
        return {
            "site": site,
            "language": language,
            "navigation": navigation,
            "more_links": lambda: navigation(MORE_LINKS),
            "language_links": language_links,
            "language_versions": versions_of_this_page,
            "this_page_address": this_page_address,
            "has_endpoint": lambda endpoint: endpoint in current_app.view_functions,
        }

    @app.template_global("options")
    def options(documents, label="name"):
        """(slug, label in the visitor's language) for the choices of a filter."""
        language = str(get_locale())
        return [(document.get("slug"), localized(document.get(label), language)) for document in documents]

    app.add_template_global(public_url, "public_url")
    app.add_template_global(absolute, "absolute_url")
    app.add_template_global(format_date, "format_date")
    app.add_template_global(format_decimal, "format_decimal")
    app.add_template_global(format_percent, "format_percent")

    @app.template_global("present")
    def present(mapping):
        """The entries of a mapping that have a value (the filters in use)."""
        return {key: value for key, value in mapping.items() if value}

    @app.template_global("municipality_options")
    def municipality_options():
        """(slug, name) of the province's municipalities."""
        site = g.get("site") or DEFAULT_SITE
        return [(municipality["slug"], municipality["name"]) for municipality in site.get("municipalities", [])]

    @app.template_filter("t")
    def translate_field(value):
        """The visitor's language version of a {language: text} field."""
        return localized(value, str(get_locale()))

    @app.template_filter("date")
    def date_filter(value, style="long"):
        """A date (or ISO 8601 text) in the visitor's language, in the province's time zone."""
        if not value:
            return ""
        if isinstance(value, str):
            value = _parse_moment(value)
        if isinstance(value, datetime):
            value = value.astimezone(province_zone()).date()
        return format_date(value, style)

    @app.template_filter("datetime")
    def datetime_filter(value, style="medium"):
        """A date and time in the visitor's language and the province's time zone."""
        if not value:
            return ""
        moment = _parse_moment(value) if isinstance(value, str) else value
        # One clock for the whole portal: the zone the editor and the calendar use too.
        return dates.format_datetime(moment, style, tzinfo=province_zone(), locale=get_locale())

    @app.template_filter("time")
    def time_filter(value):
        """The time of day of an ISO 8601 moment, in the province's time zone."""
        if not value:
            return ""
        return dates.format_time(_parse_moment(value), "short", tzinfo=province_zone(), locale=get_locale())

    @app.template_filter("money")
    def money_filter(value):
        """An amount in the visitor's locale: 25 stays 25, 25.5 reads 25,50 in Spanish and 25.50 in English."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return ""
        return format_decimal(value, "#,##0" if float(value).is_integer() else "#,##0.00")

    @app.template_filter("municipality")
    def municipality_filter(slug):
        """A municipality's name from its slug."""
        site = g.get("site") or DEFAULT_SITE
        for municipality in site.get("municipalities", []):
            if municipality["slug"] == slug:
                return municipality["name"]
        return ""

    @app.template_global("theme_style")
    def theme_style():
        """The inline rule with the province's colours (allowed by its hash in the CSP)."""
        return Markup(g.get("theme_css") or "")
