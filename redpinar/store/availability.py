"""Free places: the slots of an office open for booking now, and how many places each has left.

Read from the month files' summaries (kept per file version), so the pages of free days and
times cost the same whatever the number of earlier appointments.
"""
import json
import os

from ..bounded import BoundedCache
from . import slots
from .appointments import _month_summary, month_path, now_utc, province_zone


# --- places ----------------------------------------------------------------------------------

def taken_places(office_slug, day, clock):
    """How many booked appointments a slot holds."""
    path = month_path(office_slug, day.isoformat()[:7])
    return _month_summary(path)["taken"].get((day.isoformat(), clock), 0)


# The bookable slots of an office change with its schedule and the minute, not with each booking:
# computed once a minute per schedule (a slot that passed its cut-off since is refused by book()).
_SCHEDULE_FIELDS = ("slot_minutes", "places", "weekly", "exceptions", "book_from_days", "book_until_days",
                    "cutoff_hours", "active")
_schedules = BoundedCache(budget_bytes=16 * 1024 * 1024, max_entries=256)


def _bookable(office, now, zone, first, last):
    """[(day, iso day, time, places, start)] of the slots open for booking at `now` (to the minute)."""
    key = (json.dumps([office.get(field) for field in _SCHEDULE_FIELDS], sort_keys=True), str(zone),
           now.replace(second=0, microsecond=0).isoformat(), first, last)
    found = _schedules.get(key)
    if found is None:
        found = [(day, day.isoformat(), clock, places, start.isoformat())
                 for day, clock, places, start in slots.bookable_slots(office, now, zone, first, last)]
        _schedules.put(key, found, 200 * len(found) + 200)
    return found


def places_left(office, now=None, first=None, last=None):
    """[{day, time, start, places, places_left}] of every slot open for booking now, in order."""
    now = now or now_utc()
    summaries = {}
    found = []
    for day, iso_day, clock, places, start in _bookable(office, now, province_zone(), first, last):
        month = iso_day[:7]
        if month not in summaries:
            summaries[month] = _month_summary(month_path(office["slug"], month))["taken"]
        taken = summaries[month].get((iso_day, clock), 0)
        found.append({"day": day, "time": clock, "start": start, "places": places,
                      "places_left": max(0, places - taken)})
    return found


def free_days(office, now=None):
    """[(day, free places that day)] of the days with at least one free place."""
    totals = {}
    for slot in places_left(office, now):
        if slot["places_left"]:
            totals[slot["day"]] = totals.get(slot["day"], 0) + slot["places_left"]
    return sorted(totals.items())


def next_free(office, now=None, count=5, skip=None):
    """The first `count` slots with a free place (leaving out the slot `skip`, a (day, time) pair)."""
    free = [slot for slot in places_left(office, now)
            if slot["places_left"] and (slot["day"], slot["time"]) != skip]
    return free[:count]


def places_version(office, now=None):
    """A value that changes whenever the free places of an office may have changed (for kept pages)."""
    from datetime import timedelta
    from . import db
    from .offices import offices_path
    now = now or now_utc()
    first, last = slots.window(office, now, province_zone())
    months = sorted({(first + timedelta(days=offset)).isoformat()[:7] for offset in range((last - first).days + 1)})
    versions = [db.version_of(offices_path())]
    for month in months:
        path = month_path(office["slug"], month)
        versions.append(db.version_of(path) if os.path.exists(path) else None)
    # The minute too: slots pass their cut-off as time goes by.
    return tuple(versions), now.replace(second=0, microsecond=0).isoformat()


def days_until_first_free(office, now=None):
    """Days from today to the first time with a free place (the wait a citizen faces), or None when none is free."""
    now = now or now_utc()
    today = now.astimezone(province_zone()).date()
    for slot in places_left(office, now):
        if slot["places_left"]:
            return (slot["day"] - today).days
    return None
