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

What the panel writes, for the booking side to rely on:
    - `weekly` holds only days with periods: a day the webmaster left empty (or emptied) is absent, never [];
      at most 14 periods a week, each "HH:MM" (00:00 to 23:59), start before end, sorted by start within a day,
      never overlapping (touching is fine), each at least `slot_minutes` long.
    - `exceptions` are sorted by date, one per date, at most 366. A closed day has `"closed": true` and no
      "hours"/"places"; an open one has no "closed" key and "hours" and/or "places" (at least one). The panel
      always writes "note" ({"es", "en"}, may be empty). Removing an exception deletes it from the list.
    - `procedures` may still hold a procedure's slug from before a rename: look it up following `old_slugs`
      (catalogue.optional does). The panel rewrites it to the current slug at the next save.
    - Every write checks the whole document (office_rules.office_problems); `flask check` checks the file.
Write side: create_office, update_office, set_office_active, add_exception, remove_exception (one transaction each).
"""
from tinydb import Query

from ..text import slugify
from . import NotFound, db
from .office_rules import (EXCEPTIONS_FULL, MAXIMUM_EXCEPTIONS, InvalidOffice, OfficeProblem, exception_problems,
                           office_problems, reference_problems)
from .paths import data_path
from .storage import parse_json

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


# The webmaster's changes. Each is one transaction on offices.json; the document is checked whole before it
# is written (office_rules), so the file only ever holds offices the booking side can read.
EDITABLE = ("name", "entity", "municipality", "address", "bring", "procedures", "slot_minutes", "places", "weekly",
            "book_from_days", "book_until_days", "cutoff_hours", "active")


def _checked(office):
    """The office with each day's periods in time order, once every value is known to be right."""
    problems = office_problems(office)
    if problems:
        raise InvalidOffice(problems)
    office["weekly"] = {day: sorted(periods) for day, periods in sorted(office["weekly"].items())}
    office["exceptions"] = [dict(exception, hours=sorted(exception["hours"])) if "hours" in exception else exception
                            for exception in office["exceptions"]]
    return office


def _free_slug(tinydb, name):
    """A slug from the Spanish name that no other office holds: 'oficina-de-guane', then '-2', '-3'…"""
    base = slugify(name, max_length=70) or "oficina"
    taken = {office.get("slug") for office in tinydb.all()}
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _stored(tinydb, slug):
    found = tinydb.get(Query().slug == slug) if isinstance(slug, str) else None
    if found is None:
        raise NotFound(slug)
    return _complete(dict(found))


def _replace(tinydb, office):
    office["updated"] = db.utc_now()
    tinydb.update(lambda kept: (kept.clear(), kept.update(office)), Query().slug == office["slug"])
    return office


def create_office(fields):
    """Store a new office from the EDITABLE fields; its slug comes from the Spanish name and never changes."""
    office = _complete({key: fields[key] for key in EDITABLE if key in fields})
    office["exceptions"] = []
    _checked(office)
    with db.transaction(offices_path()) as tinydb:
        slug = _free_slug(tinydb, office["name"]["es"])
        stored = db.stamp_new({**office, "slug": slug, "id": slug}, schema=SCHEMA)
        tinydb.insert(stored)
    return stored


def update_office(slug, fields):
    """Change an office's EDITABLE fields; slug, exceptions and creation stay. Returns (before, after)."""
    with db.transaction(offices_path()) as tinydb:
        before = _stored(tinydb, slug)
        after = _checked(dict(before, **{key: fields[key] for key in EDITABLE if key in fields}))
        _replace(tinydb, after)
    return before, after


def set_office_active(slug, active):
    """Take bookings again (True) or no more (False); the office and its appointments are kept."""
    with db.transaction(offices_path()) as tinydb:
        office = _stored(tinydb, slug)
        office["active"] = bool(active)
        _replace(tinydb, office)
    return office


def add_exception(slug, exception):
    """Add one exception (a closed day, or other hours and/or places); exceptions stay sorted by date."""
    with db.transaction(offices_path()) as tinydb:
        office = _stored(tinydb, slug)
        problems = exception_problems(exception, office["slot_minutes"],
                                      {kept.get("date") for kept in office["exceptions"]})
        if len(office["exceptions"]) >= MAXIMUM_EXCEPTIONS:
            problems.append(OfficeProblem("exceptions", f"more than {MAXIMUM_EXCEPTIONS} exceptions",
                                          EXCEPTIONS_FULL, max=MAXIMUM_EXCEPTIONS))
        if problems:
            raise InvalidOffice(problems)
        office["exceptions"] = sorted(office["exceptions"] + [dict(exception)], key=lambda kept: kept["date"])
        _replace(tinydb, _checked(office))
    return office


def remove_exception(slug, day):
    """Remove the exception of one day (the weekly schedule holds that day again); NotFound when there is none."""
    with db.transaction(offices_path()) as tinydb:
        office = _stored(tinydb, slug)
        kept = [exception for exception in office["exceptions"] if exception.get("date") != day]
        if len(kept) == len(office["exceptions"]):
            raise NotFound(f"{slug}/{day}")
        office["exceptions"] = kept
        _replace(tinydb, office)
    return office


def office_file_problems(path, known):
    """`flask check` for offices.json: each office's values and references, in English."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
        tables = parse_json(raw) if raw.strip() else {}
    except (OSError, ValueError):
        return []  # reported by the file checks
    table = tables.get("_default") if isinstance(tables, dict) else None
    problems = []
    for key, document in (table.items() if isinstance(table, dict) else []):
        if not isinstance(document, dict):
            continue
        office = _complete(document)
        label = f"appointments/offices.json: document {key} (slug {office.get('slug')!r})"
        problems += [f"{label}: {problem}" for problem in office_problems(office) + reference_problems(office, known)]
    return problems
