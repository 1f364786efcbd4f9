"""Offices that take appointments: one document per office in data/appointments/offices.json.

An office document (schema 1):
    slug              the office's address in /citas/<slug>/ (also its `id`)
    name              {"es": ..., "en": ...}
    entity            the entity's slug, or ""
    municipality      one of the province's municipalities
    address           street address, plain text
    bring             {"es": ..., "en": ...}; empty: the documents of the procedures booked
    procedures        slugs of the procedures this office books
    slot_minutes      length of one appointment (5 to 240)
    places            desks: appointments per slot (1 to 50)
    weekly            {"1": [["08:00", "12:00"], ...], ...}: ISO weekday (1 = Monday) to opening
                      periods in the province's local time; a weekday left out is closed
    exceptions        [{"date": "YYYY-MM-DD", "closed": true, "note": {...}},
                       {"date": "YYYY-MM-DD", "hours": [["08:00", "10:00"]], "places": 1, "note": {...}}]
                      ("hours" and "places" each replace the weekly ones that day when given)
    book_from_days    first day that can be booked, counted from today (0 = today)
    book_until_days   last day that can be booked, counted from today
    cutoff_hours      no booking for a time less than this many hours away
    active            false: kept for its appointments, no new bookings
"""
from tinydb import Query

from . import NotFound, db
from .paths import data_path

SCHEMA = 1
DEFAULTS = {"name": {"es": "", "en": ""}, "entity": "", "municipality": "", "address": "",
            "bring": {"es": "", "en": ""}, "procedures": [], "slot_minutes": 15, "places": 1,
            "weekly": {}, "exceptions": [], "book_from_days": 1, "book_until_days": 30,
            "cutoff_hours": 12, "active": True}


def offices_path():
    """The file that holds every office's document."""
    return data_path("appointments", "offices.json")


def _complete(document):
    office = {key: value for key, value in DEFAULTS.items()}
    office.update(document)
    return office


def list_offices(active_only=False):
    """Every office, by name, with defaults filled in."""
    with db.reading(offices_path()) as tinydb:
        found = [_complete(document) for document in tinydb.all()]
    if active_only:
        found = [office for office in found if office.get("active")]
    return sorted(found, key=lambda office: (office["name"].get("es") or office["slug"]).casefold())


def get_office(slug):
    """One office by its slug, or NotFound."""
    with db.reading(offices_path()) as tinydb:
        found = tinydb.get(Query().slug == slug) if isinstance(slug, str) else None
    if found is None:
        raise NotFound(slug)
    return _complete(found)


def save_office(document):
    """Create or replace an office (matched by slug); returns the stored document."""
    stored = db.stamp_new({**document, "id": document["slug"]}, schema=SCHEMA)
    with db.transaction(offices_path()) as tinydb:
        existing = tinydb.get(Query().slug == document["slug"])
        if existing is not None:
            stored["created"] = existing.get("created", stored["created"])
            tinydb.remove(Query().slug == document["slug"])
        tinydb.insert(stored)
    return _complete(stored)
