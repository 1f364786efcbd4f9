"""What the public pages ask of the content: named queries over the collections."""
import time
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from . import db
from .errors import NotFound
from .paths import collection_path
from .site import load_site


class Moved(NotFound):
    """A slug that was changed: the document now lives at `slug`."""

    def __init__(self, slug):
        self.slug = slug
        super().__init__(slug)


def _index(collection):
    """(documents in order, {slug: document}, {old slug: slug}), rebuilt only when the file changes."""
    def build(documents):
        ordered = sorted((document for document in documents if not document.get("deleted")),
                         key=_sort_key(collection))
        moved = {old: document["slug"] for document in ordered for old in document.get("old_slugs", [])}
        return ordered, {document.get("slug"): document for document in ordered}, moved
    return db.derived(collection_path(collection), "index", build)


def current_moment():
    """The current moment (UTC), from time.time so that every cache keyed by the clock agrees."""
    return datetime.fromtimestamp(time.time(), timezone.utc)


def is_public(document, now=None):
    """Not a draft, and its publication time (if any) has come."""
    if document.get("draft"):
        return False
    publish_at = document.get("publish_at")
    if publish_at:
        return _moment(publish_at) <= (now or current_moment())
    return True


def _sort_key(collection):
    if collection == "news":
        return lambda document: document.get("published", "")
    if collection == "events":
        return lambda document: document.get("start", "")
    if collection == "notices":
        return lambda document: document.get("valid_from", "")
    return lambda document: (document.get("order", 0), _title(document))


def _title(document):
    title = document.get("title") or document.get("name") or ""
    return title.get("es", "") if isinstance(title, dict) else title


def documents(collection):
    """Every public document of a collection in its natural order (shared; do not modify)."""
    moment = current_moment()
    return [document for document in _index(collection)[0] if is_public(document, moment)]


def by_slug(collection, slug):
    """One public document by its slug; Moved when the slug was changed, else NotFound."""
    _, by_current, moved = _index(collection)
    found = by_current.get(slug) if isinstance(slug, str) else None
    if found is None or not is_public(found):
        if isinstance(slug, str) and slug in moved:
            raise Moved(moved[slug])
        raise NotFound(f"{collection}/{slug}")
    return found


def optional(collection, slug):
    """A referenced public document, or None when the reference is empty, stale or not published.

    A slug the document had before a rename still finds it.
    """
    if not slug or not isinstance(slug, str):
        return None
    _, by_current, moved = _index(collection)
    found = by_current.get(slug) or by_current.get(moved.get(slug))
    return found if found is not None and is_public(found) else None


def next_publication(collections, after=None):
    """The earliest moment after `after` at which a scheduled document of these collections goes public."""
    after = after or current_moment()
    upcoming = []
    for collection in collections:
        for document in _index(collection)[0]:
            if document.get("publish_at") and not document.get("draft"):
                try:
                    moment = _moment(document["publish_at"])
                except (TypeError, ValueError):
                    continue
                if moment > after:
                    upcoming.append(moment)
    return min(upcoming, default=None)


def topics():
    """The topics in menu order."""
    return documents("topics")


def procedures(topic=None, entity=None, municipality=None):
    """Procedures, filtered by topic, competent entity and municipality."""
    selected = []
    for procedure in documents("procedures"):
        if topic and procedure.get("topic") != topic:
            continue
        if entity and entity not in (procedure.get("entity"), procedure.get("responsible_entity")):
            continue
        if municipality and procedure.get("municipalities") != "all" \
                and municipality not in (procedure.get("municipalities") or []):
            continue
        selected.append(procedure)
    return selected


def popular_procedures(limit=6):
    """The procedures the webmaster features, then the most used."""
    return sorted(documents("procedures"),
                  key=lambda p: (not p.get("featured"), -(p.get("popularity") or 0)))[:limit]


def featured_guides(limit=5):
    """The guides the webmaster features first, then the others."""
    return sorted(documents("guides"), key=lambda guide: not guide.get("featured"))[:limit]


def guides_with_procedure(slug):
    """The guides that include a procedure."""
    return [guide for guide in documents("guides")
            if any(step.get("procedure") == slug for step in guide.get("steps", []))]


def province_today():
    """Today's date where the province is (the server may keep another clock)."""
    return current_moment().astimezone(ZoneInfo(load_site().get("timezone", "America/Havana"))).date()


def needs_review(procedure, today=None):
    """True when a procedure was last reviewed longer ago than its review period."""
    reviewed = procedure.get("reviewed")
    period = procedure.get("review_period_days")
    if not reviewed or not period:
        return False
    today = today or province_today()
    return (today - date.fromisoformat(reviewed[:10])).days > period


def entities(topic=None, municipality=None):
    """Entities, filtered by topic and municipality."""
    return [entity for entity in documents("entities")
            if (not topic or topic in entity.get("topics", []))
            and (not municipality or entity.get("municipality") == municipality)]


def news(topic=None, municipality=None):
    """News, newest first, filtered by topic and municipality."""
    return [item for item in reversed(documents("news"))
            if (not topic or item.get("topic") == topic)
            and (not municipality or item.get("municipality") == municipality)]


def notices(today=None, current=True):
    """Notices in force today (current) or expired (the archive), newest first."""
    today = (today or province_today()).isoformat()
    selected = []
    for notice in reversed(documents("notices")):
        in_force = notice.get("valid_from", "") <= today <= notice.get("valid_until", "9999")
        if in_force == current and (current or notice.get("valid_until", "9999") < today):
            selected.append(notice)
    return selected


def _moment(value):
    """An aware datetime from stored ISO 8601 (naive values are taken as UTC)."""
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _timeline():
    """[(start, end, event)] with parsed times, soonest first, rebuilt only when events change."""
    def build(stored):
        timeline = []
        for event in stored:
            if event.get("deleted"):
                continue
            try:
                begins = _moment(event["start"])
                ends = _moment(event.get("end") or event["start"])
            except (KeyError, TypeError, ValueError):
                continue
            timeline.append((begins, ends, event))
        timeline.sort(key=lambda entry: entry[0])
        return timeline
    return db.derived(collection_path("events"), "timeline", build)


def events(category=None, municipality=None, start=None, end=None):
    """Events overlapping [start, end) (aware datetimes), soonest first, filtered."""
    selected = []
    moment = current_moment()
    for begins, ends, event in _timeline():
        if not is_public(event, moment):
            continue
        if category and event.get("category") != category:
            continue
        if municipality and event.get("municipality") != municipality:
            continue
        if start and ends < start:
            continue
        if end and begins >= end:
            continue
        selected.append(event)
    return selected


def upcoming_events(now=None, **filters):
    """Events not yet over, soonest first."""
    return events(start=now or current_moment(), **filters)


def pages(topic=None):
    """Free-text pages, filtered by topic."""
    return [page for page in documents("pages") if not topic or page.get("topic") == topic]
