"""Appointments at offices: data/appointments/<office-slug>/<YYYY-MM>.json.

One file per office and month, so that one transaction covers a slot: counting the places
left and writing the new appointment happen under one lock (threads and processes alike).
Who holds an active appointment for a procedure is kept in data/appointments/_holders/, 256
small files by a hash of identity card and procedure, locked before the month file (always in
that order) so that one person cannot hold two places for one procedure, even at two offices.
Which month files may hold a code is kept in data/appointments/_codes/, by its first two
characters, written before the month file: a lookup reads two small files whatever the history.

An appointment document (schema 1): id (= code), office, procedure, day "YYYY-MM-DD", time
"HH:MM" (local), start (ISO 8601 with offset), status "booked" | "cancelled", outcome None |
"attended" | "not_attended", name, id_card, phone, email, language, pin_hash, history
[{"at", "event", ...}], reminder (absent | {"state": "sending" | "sent", "at"}), example.
"""
import hashlib
import os
import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from tinydb import Query

from . import db, slots
from .errors import InvalidName, NotFound
from .offices import get_office
from .paths import data_path
from .site import SLUG, load_site

SCHEMA = 1
MONTH_FILE = re.compile(r"^(\d{4}-(0[1-9]|1[0-2]))\.json$")
HOLDERS_FOLDER = "_holders"
CODES_FOLDER = "_codes"
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{3,39}$")
OUTCOMES = ("attended", "not_attended")
# Month files read for lookups: the ones of the coming weeks are used most.
KEPT_MONTHS = db.KeptParsed(48)


class AppointmentRefused(Exception):
    """A booking or a move that cannot be done; `reason` says why."""

    reason = "refused"


class SlotFull(AppointmentRefused):
    """The slot has no place left."""

    reason = "full"


class NotBookable(AppointmentRefused):
    """Not a time of the office open for booking now (closed, outside the window, past the cut-off)."""

    reason = "not_bookable"


class AlreadyBooked(AppointmentRefused):
    """The person already holds an active appointment for this procedure."""

    reason = "already_booked"

    def __init__(self, existing):
        super().__init__(existing.get("id"))
        self.existing = existing


class NotChangeable(AppointmentRefused):
    """A cancelled or past appointment cannot be cancelled or moved."""

    reason = "not_changeable"


def now_utc():
    """The current moment (aware, UTC)."""
    return datetime.now(timezone.utc)


def province_zone():
    """The province's time zone, from site.json."""
    return ZoneInfo((load_site() or {}).get("timezone") or "America/Havana")


def appointments_root():
    """The folder of offices and appointments."""
    return data_path("appointments")


def _office_folder(office_slug):
    if not isinstance(office_slug, str) or not SLUG.match(office_slug):
        raise InvalidName(f"not an office: {office_slug!r}")
    return os.path.join(appointments_root(), office_slug)


def month_path(office_slug, month):
    """The file of one office's appointments in one month ("YYYY-MM")."""
    if not MONTH_FILE.match(f"{month}.json"):
        raise InvalidName(f"not a month: {month!r}")
    return os.path.join(_office_folder(office_slug), f"{month}.json")


def office_months(office_slug):
    """The months ("YYYY-MM") that hold appointments of an office, oldest first."""
    try:
        names = os.listdir(_office_folder(office_slug))
    except FileNotFoundError:
        return []
    return sorted(match.group(1) for match in map(MONTH_FILE.match, names) if match)


def all_month_paths():
    """Every month file of every office."""
    try:
        folders = sorted(name for name in os.listdir(appointments_root()) if SLUG.match(name))
    except FileNotFoundError:
        return []
    return [month_path(folder, month) for folder in folders for month in office_months(folder)]


def _summary(documents):
    """What pages need of a month file: its codes and the booked count of each slot."""
    codes, taken = set(), {}
    for stored in documents:
        codes.add(stored.get("id"))
        if stored.get("status") == "booked":
            key = (stored.get("day"), stored.get("time"))
            taken[key] = taken.get(key, 0) + 1
    return {"codes": codes, "taken": taken}


def _month_summary(path):
    if not os.path.exists(path):
        return {"codes": set(), "taken": {}}
    return db.derived(path, "appointments-summary", _summary, release=True)


def _booked_in(tinydb, day, clock):
    return sum(1 for stored in tinydb.all()
               if stored.get("status") == "booked" and stored.get("day") == day and stored.get("time") == clock)


# --- finding ---------------------------------------------------------------------------------

def _index_path(code):
    """The code index file of a code: data/appointments/_codes/<first two characters>.json."""
    return os.path.join(appointments_root(), CODES_FOLDER, code[:2] + ".json")


def _note_code(code, office_slug, month):
    """Record in the code index that a code may be in an office's month file (before that file is written).

    An entry pointing to a file that does not hold the code (a booking refused, a crash) finds nothing.
    """
    with db.transaction(_index_path(code)) as index:
        entry = index.get(Query().code == code)
        months = sorted(set((entry or {}).get("months", [])) | {month})
        index.upsert({"code": code, "office": office_slug, "months": months}, Query().code == code)


def _located(code):
    """[(path, document)] of every stored copy of a code (two only after a move cut short by a crash)."""
    if not CODE.match(code):
        return []
    path = _index_path(code)
    if not os.path.exists(path):
        return []
    with db.reading(path, KEPT_MONTHS) as index:
        entry = index.get(Query().code == code)
    found = []
    for month in (entry or {}).get("months", []):
        month_file = month_path(entry["office"], month)
        if code in _month_summary(month_file)["codes"]:
            with db.reading(month_file, KEPT_MONTHS) as tinydb:
                stored = tinydb.get(Query().id == code)
            if stored is not None:
                found.append((month_file, dict(stored)))
    return found


def rebuild_code_index():
    """Write the code index again from the month files (after a restore of old data); returns how many codes."""
    entries = {}
    for path in all_month_paths():
        office_slug, month = os.path.basename(os.path.dirname(path)), os.path.basename(path)[:7]
        for code in _month_summary(path)["codes"]:
            if isinstance(code, str) and CODE.match(code):
                entry = entries.setdefault(code, {"code": code, "office": office_slug, "months": []})
                entry["months"].append(month)
    buckets = {}
    for code, entry in entries.items():
        buckets.setdefault(_index_path(code), []).append(entry)
    for path, bucket in buckets.items():
        with db.transaction(path) as index:
            index.truncate()
            index.insert_multiple(bucket)
    return len(entries)


def find_appointment(code):
    """The appointment with this code, or None (the newest copy, should a move have been cut short)."""
    if not isinstance(code, str) or not code:
        return None
    copies = _located(code)
    if not copies:
        return None
    return max(copies, key=lambda located: located[1].get("updated", ""))[1]


def get_appointment(code):
    """The appointment with this code, or NotFound."""
    found = find_appointment(code)
    if found is None:
        raise NotFound(code)
    return found


def is_active(appointment, now=None):
    """True for a booked appointment whose time has not passed."""
    if appointment.get("status") != "booked":
        return False
    try:
        return datetime.fromisoformat(appointment["start"]) >= (now or now_utc())
    except (KeyError, TypeError, ValueError):
        return False


def appointments_between(office_slug, first, last):
    """The appointments of an office from day `first` to day `last` (dates), by day and time."""
    found = []
    for month in office_months(office_slug):
        if not first.isoformat()[:7] <= month <= last.isoformat()[:7]:
            continue
        with db.reading(month_path(office_slug, month), KEPT_MONTHS) as tinydb:
            found.extend(dict(stored) for stored in tinydb.all()
                         if first.isoformat() <= stored.get("day", "") <= last.isoformat())
    return sorted(found, key=lambda stored: (stored["day"], stored["time"], stored.get("created", "")))


def appointments_on(office_slug, day):
    """The appointments of an office on one day (a date), by time."""
    return appointments_between(office_slug, day, day)


# --- changes ---------------------------------------------------------------------------------

def holder_key(id_card, procedure):
    """The hash that stands for one person and one procedure in the holders files."""
    return hashlib.sha256(f"{id_card}|{procedure}".encode("utf-8")).hexdigest()


def _holders_path(key):
    return os.path.join(appointments_root(), HOLDERS_FOLDER, key[:2] + ".json")


def _history(event, **details):
    return dict(at=db.utc_now(), event=event, **details)


def _checked_slot(office, day, clock, now):
    places = slots.is_bookable(office, day, clock, now, province_zone())
    if not places:
        raise NotBookable(f"{office['slug']} {day} {clock}")
    return places


def book(office_slug, procedure, day, clock, person, pin_hash, language="es", now=None, example=False):
    """Store a new appointment if the slot has a place and the person holds none for the procedure.

    `person` holds name, id_card, phone and email. Raises SlotFull, NotBookable or AlreadyBooked;
    returns the stored document.
    """
    from . import codes  # codes imports the kinds that register with it
    now = now or now_utc()
    office = get_office(office_slug)
    if procedure not in office.get("procedures", []):
        raise NotBookable(procedure)
    places = _checked_slot(office, day, clock, now)
    key = holder_key(person["id_card"], procedure)
    path = month_path(office_slug, day.isoformat()[:7])
    with db.transaction(_holders_path(key)) as holders:
        held = holders.get(Query().key == key)
        if held is not None:
            existing = find_appointment(held.get("code"))
            if existing is not None and is_active(existing, now):
                raise AlreadyBooked(existing)
        code = codes.new_code()
        document = db.stamp_new({
            "id": code, "office": office_slug, "procedure": procedure, "day": day.isoformat(), "time": clock,
            "start": slots.start_of(day, clock, province_zone()).isoformat(), "status": "booked",
            "outcome": None, "name": person.get("name", ""), "id_card": person["id_card"],
            "phone": person.get("phone", ""), "email": person.get("email", ""), "language": language,
            "pin_hash": pin_hash, "history": [_history("booked")],
        }, schema=SCHEMA)
        if example:
            document["example"] = True
        holders.upsert({"key": key, "code": code}, Query().key == key)
        _note_code(code, office_slug, document["day"][:7])
        with db.transaction(path, KEPT_MONTHS) as month:
            # The count and the insert under one lock: a slot never holds more than its places.
            if _booked_in(month, document["day"], clock) >= places:
                raise SlotFull(f"{office_slug} {day} {clock}")
            month.insert(document)
    return document


def _modify(code, change):
    """Apply change(document) to the stored appointment under its month file's lock; returns it."""
    current = get_appointment(code)
    path = month_path(current["office"], current["day"][:7])
    with db.transaction(path, KEPT_MONTHS) as month:
        stored = month.get(Query().id == code)
        if stored is None:
            raise NotFound(code)
        document = dict(stored)
        change(document)
        document["updated"] = db.utc_now()
        month.update(document, Query().id == code)
    return document


def cancel(code, by="citizen", now=None):
    """Cancel an active appointment: its place is free at once. Raises NotChangeable when it is not active."""
    now = now or now_utc()

    def cancelled(document):
        if not is_active(document, now):
            raise NotChangeable(code)
        document["status"] = "cancelled"
        document["history"] = list(document.get("history") or []) + [_history("cancelled", by=by)]

    return _modify(code, cancelled)


def set_outcome(code, outcome):
    """Mark an appointment attended or not attended (None clears the mark)."""
    if outcome not in OUTCOMES + (None,):
        raise ValueError(f"not an outcome: {outcome!r}")

    def marked(document):
        document["outcome"] = outcome
        document["history"] = list(document.get("history") or []) + [_history("outcome", outcome=outcome)]

    return _modify(code, marked)


def move(code, day, clock, by="citizen", now=None):
    """Move an active appointment to another free time of its office, atomically across months.

    Raises NotChangeable, NotBookable or SlotFull; returns the moved document.
    """
    now = now or now_utc()
    current = get_appointment(code)
    office = get_office(current["office"])
    places = _checked_slot(office, day, clock, now)
    old_path = month_path(current["office"], current["day"][:7])
    new_path = month_path(current["office"], day.isoformat()[:7])
    _note_code(code, current["office"], day.isoformat()[:7])
    # Moves of one office take turns, then lock the old month and inside it the new one: the new
    # month is written first (an inner transaction ends first), so a crash between the two writes
    # leaves two copies, never none, and lookups take the newer one.
    with db.transaction(os.path.join(_office_folder(current["office"]), "moves.json")):
        with db.transaction(old_path, KEPT_MONTHS) as old_db:
            stored = old_db.get(Query().id == code)
            if stored is None or not is_active(stored, now):
                raise NotChangeable(code)
            if (stored["day"], stored["time"]) == (day.isoformat(), clock):
                raise NotBookable("the same time")
            document = dict(stored)
            document.update(day=day.isoformat(), time=clock, updated=db.utc_now(),
                            start=slots.start_of(day, clock, province_zone()).isoformat())
            document.pop("reminder", None)
            document["history"] = list(document.get("history") or []) + [
                _history("moved", by=by, **{"from": f"{stored['day']} {stored['time']}"})]
            if old_path == new_path:
                if _booked_in(old_db, day.isoformat(), clock) >= places:
                    raise SlotFull(f"{current['office']} {day} {clock}")
                old_db.update(document, Query().id == code)
            else:
                with db.transaction(new_path, KEPT_MONTHS) as new_db:
                    if _booked_in(new_db, day.isoformat(), clock) >= places:
                        raise SlotFull(f"{current['office']} {day} {clock}")
                    new_db.insert(document)
                old_db.remove(Query().id == code)
    return document
