"""Appointments over time: examples, retention purge, reminders, schedule changes, monthly figures.

An example province may hold appointments.json:
    {"pin": "123456",
     "offices": [office documents (store/offices.py), whose exceptions give "in_days" instead of "date"],
     "appointments": [{"office", "procedure", "in_days", "time", "name", "id_card"}, ...],
     "full_days": [{"office", "procedure", "in_days"}, ...]}
"in_days" counts from the day of loading and moves on to the office's next open day, so that the
next two weeks always show free times and, with "full_days", a day with no place left.
"""
import json
import os
from datetime import datetime, timedelta

from tinydb import Query
from werkzeug.security import generate_password_hash

from . import db, slots
from .appointments import (KEPT_MONTHS, AppointmentRefused, all_month_paths, appointments_between, book,
                           is_active, month_path, now_utc, office_months, province_zone)
from .offices import get_office, list_offices, save_office

EXAMPLES_FILE = "appointments.json"
PIN_HASH_METHOD = "scrypt:4096:8:1"
PERSONAL_FIELDS = ("name", "id_card", "phone", "email")
DAYS_SEARCHED = 14


def _open_day(office, day):
    """The first day from `day` on when the office opens (within two weeks), else `day`."""
    for offset in range(DAYS_SEARCHED):
        candidate = day + timedelta(days=offset)
        if slots.day_times(office, candidate):
            return candidate
    return day


def _example_card(number):
    """An identity card number of the examples: a real date of birth, then a running number."""
    return f"500101{number:05d}"


def load_example_appointments(province_folder, now=None):
    """Store the example offices and appointments of a province folder; returns how many appointments."""
    path = os.path.join(province_folder, EXAMPLES_FILE)
    if not os.path.isfile(path):
        return 0
    with open(path, encoding="utf-8") as handle:
        shipped = json.load(handle)
    now = now or now_utc()
    today = now.astimezone(province_zone()).date()
    for office in shipped.get("offices", []):
        office = dict(office)
        office["exceptions"] = [
            {**{key: value for key, value in exception.items() if key != "in_days"},
             "date": (today + timedelta(days=exception["in_days"])).isoformat()} if "in_days" in exception
            else exception for exception in office.get("exceptions", [])]
        save_office(office)
    remove_example_appointments()
    pin_hash = generate_password_hash(str(shipped["pin"]), method=PIN_HASH_METHOD)
    wanted = []
    for spec in shipped.get("appointments", []):
        office = get_office(spec["office"])
        wanted.append((office, spec["procedure"], _open_day(office, today + timedelta(days=spec["in_days"])),
                       spec["time"], spec.get("name", "")))
    for spec in shipped.get("full_days", []):
        office = get_office(spec["office"])
        day = _open_day(office, today + timedelta(days=spec["in_days"]))
        for clock, places in slots.day_times(office, day):
            wanted.extend((office, spec["procedure"], day, clock, spec.get("name", "")) for _ in range(places))
    stored = 0
    for number, (office, procedure, day, clock, name) in enumerate(wanted, start=1):
        person = {"name": name or f"Persona de ejemplo {number}", "id_card": _example_card(number),
                  "phone": "", "email": ""}
        try:
            book(office["slug"], procedure, day, clock, person, pin_hash, now=now, example=True)
            stored += 1
        except AppointmentRefused:
            continue  # a time an exception closed, or a slot already full: the example is left out
    return stored


def remove_example_appointments():
    """Remove every appointment marked as an example; returns how many."""
    removed = 0
    for path in all_month_paths():
        with db.reading(path, KEPT_MONTHS) as tinydb:
            if not any(stored.get("example") is True for stored in tinydb.all()):
                continue
        with db.transaction(path, KEPT_MONTHS) as tinydb:
            removed += len(tinydb.remove(Query().example == True))  # noqa: E712 (a TinyDB query)
    return removed


def anonymise_appointments_before(cutoff):
    """Remove personal data from appointments on days before cutoff ("YYYY-MM-DD"); returns how many."""
    changed = 0
    for path in all_month_paths():
        if os.path.basename(path)[:7] > cutoff[:7]:
            continue
        with db.transaction(path, KEPT_MONTHS) as tinydb:
            for stored in tinydb.all():
                if stored.get("day", "") >= cutoff or stored.get("anonymised"):
                    continue
                cleared = {field: "" for field in PERSONAL_FIELDS}
                cleared.update(anonymised=db.utc_now(), updated=db.utc_now())
                tinydb.update(cleared, doc_ids=[stored.doc_id])
                changed += 1
    return changed


def _mark_reminder(path, code, state):
    with db.transaction(path, KEPT_MONTHS) as tinydb:
        tinydb.update({"reminder": {"state": state, "at": db.utc_now()}}, Query().id == code)


def _reminder_due(stored, day):
    return (stored.get("day") == day and stored.get("status") == "booked" and stored.get("email")
            and (stored.get("reminder") or {}).get("state", "failed") == "failed")


def _claim_reminder(path, code, day):
    """Mark one appointment's reminder as being sent; False when it is no longer due (taken or sent)."""
    with db.transaction(path, KEPT_MONTHS) as tinydb:
        stored = tinydb.get(Query().id == code)
        if stored is None or not _reminder_due(stored, day):
            return False
        tinydb.update({"reminder": {"state": "sending", "at": db.utc_now()}}, Query().id == code)
        return True


def send_reminders(send, now=None):
    """Call send(appointment) once for each booked appointment of tomorrow with an email; returns (sent, failed).

    Each one is marked "sending" on disk just before send() is called, then "sent" or "failed" (the
    mail server refused it: tried again next run). One marked "sending" or "sent" is never taken
    again, so a second run, or a run after a crash half-way, sends nothing twice; a crash loses at
    most the one reminder that was being sent at that instant.
    """
    now = now or now_utc()
    tomorrow = (now.astimezone(province_zone()) + timedelta(days=1)).date().isoformat()
    sent = failed = 0
    for office in list_offices():
        if tomorrow[:7] not in office_months(office["slug"]):
            continue
        path = month_path(office["slug"], tomorrow[:7])
        with db.reading(path, KEPT_MONTHS) as tinydb:
            due = [dict(stored) for stored in tinydb.all() if _reminder_due(stored, tomorrow)]
        for appointment in sorted(due, key=lambda stored: stored["time"]):
            if not _claim_reminder(path, appointment["id"], tomorrow):
                continue
            delivered = send(appointment)
            _mark_reminder(path, appointment["id"], "sent" if delivered else "failed")
            sent, failed = (sent + 1, failed) if delivered else (sent, failed + 1)
    return sent, failed


def starts_at(appointment):
    """The aware moment an appointment starts."""
    return datetime.fromisoformat(appointment["start"])


def appointments_not_fitting(office, now=None):
    """The active appointments of an office that its schedule no longer holds (closed day, time gone, places cut).

    In each slot with fewer places than appointments, the latest booked are the ones that do not fit.
    """
    now = now or now_utc()
    today = now.astimezone(province_zone()).date()
    upcoming = [appointment for appointment in appointments_between(office["slug"], today, today + timedelta(days=400))
                if is_active(appointment, now)]
    by_slot = {}
    for appointment in upcoming:
        by_slot.setdefault((appointment["day"], appointment["time"]), []).append(appointment)
    not_fitting = []
    for (day, clock), held in sorted(by_slot.items()):
        places = dict(slots.day_times(office, slots.parse_day(day))).get(clock, 0)
        held.sort(key=lambda appointment: appointment.get("created", ""))
        not_fitting.extend(held[places:])
    return not_fitting


def month_figures(office, month):
    """{offered, booked, cancelled, attended, not_attended} of an office in a month ("YYYY-MM").

    Places offered are counted from the office's schedule as it is now.
    """
    first = datetime.strptime(month + "-01", "%Y-%m-%d").date()
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    offered, day = 0, first
    while day <= last:
        offered += sum(places for _, places in slots.day_times(office, day))
        day += timedelta(days=1)
    figures = {"offered": offered, "booked": 0, "cancelled": 0, "attended": 0, "not_attended": 0}
    for appointment in appointments_between(office["slug"], first, last):
        figures["cancelled" if appointment.get("status") == "cancelled" else "booked"] += 1
        if appointment.get("outcome") in ("attended", "not_attended"):
            figures[appointment["outcome"]] += 1
    return figures
