"""Atom feeds of news, notices and events."""
from datetime import datetime, timezone

from flask import g, render_template
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from ..addresses import language_prefix
from ..store import catalogue
from ..store.site import localized
from ..urls import public_url
from . import bp

FEED_LENGTH = 30
FEED_TITLES = {"news": _l("Noticias"), "notices": _l("Avisos"), "events": _l("Próximos eventos")}


def _tag(name):
    """An Atom id: the default language's as it always was, another language's marked with its code."""
    language = str(get_locale())
    suffix = "" if language_prefix(language) == "" else ":" + language
    return "tag:{}:{}{}".format(g.site.get("slug", "redpinar"), name, suffix)


def _entries(documents, endpoint, date_field):
    language = str(get_locale())
    entries = []
    for document in documents[:FEED_LENGTH]:
        entries.append({
            "id": _tag(document["id"]),
            "title": localized(document.get("title"), language),
            "summary": localized(document.get("summary"), language),
            "url": public_url(endpoint, slug=document["slug"]),
            "updated": document.get("updated"),
            "published": _as_datetime(document.get(date_field) or document.get("created")),
        })
    return entries


def _as_datetime(value):
    """RFC 3339 for Atom: a stored date or date-time with its offset."""
    if not value:
        return datetime.now(timezone.utc).isoformat(timespec="seconds")
    if len(value) == 10:
        return value + "T00:00:00Z"
    return value


def _feed(kind, page_endpoint, entries):
    updated = max((entry["updated"] for entry in entries if entry["updated"]),
                  default=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    body = render_template(
        "public/feed.xml", title=FEED_TITLES[kind], entries=entries, updated=updated,
        feed_id=_tag(kind),
        self_url=public_url(f"public.feed_{kind}"),
        page_url=public_url(page_endpoint),
    )
    return body, 200, {"Content-Type": "application/atom+xml; charset=utf-8"}


@bp.route("/feeds/noticias.atom")
def feed_news():
    """The latest news."""
    return _feed("news", "public.news", _entries(catalogue.news(), "public.news_item", "published"))


@bp.route("/feeds/avisos.atom")
def feed_notices():
    """Notices in force."""
    return _feed("notices", "public.notices",
                 _entries(catalogue.notices(), "public.notice", "valid_from"))


@bp.route("/feeds/eventos.atom")
def feed_events():
    """Upcoming events."""
    return _feed("events", "public.events",
                 _entries(catalogue.upcoming_events(), "public.event", "start"))
