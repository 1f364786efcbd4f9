"""The times an office can be booked: pure computation from its schedule, no file touched.

A slot is named by its local day and time ("2026-12-08", "09:15") in the province's time zone;
its `start` is the same moment as ISO 8601 with the zone's offset of that day.
"""
from datetime import date, datetime, timedelta

MAX_SLOTS_PER_DAY = 24 * 60


def _minutes(clock):
    hours, minutes = (int(part) for part in str(clock).split(":"))
    return hours * 60 + minutes


def _clock(minutes):
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _exception(office, day):
    iso = day.isoformat()
    for exception in office.get("exceptions") or []:
        if isinstance(exception, dict) and exception.get("date") == iso:
            return exception
    return None


def opening(office, day):
    """(periods, places) the office opens on a day, or None when it is closed."""
    exception = _exception(office, day)
    if exception and exception.get("closed"):
        return None
    periods = (office.get("weekly") or {}).get(str(day.isoweekday())) or []
    places = int(office.get("places") or 0)
    if exception:
        periods = exception.get("hours") or periods
        places = int(exception.get("places") or places)
    if not periods or places < 1:
        return None
    return periods, places


def day_times(office, day):
    """[(time "HH:MM", places)] of the slots of one day, in order (empty when closed)."""
    opened = opening(office, day)
    if opened is None:
        return []
    periods, places = opened
    length = max(5, int(office.get("slot_minutes") or 15))
    times = set()
    for period in periods:
        try:
            begin, end = _minutes(period[0]), _minutes(period[1])
        except (TypeError, ValueError, IndexError):
            continue
        moment = begin
        while moment + length <= end and len(times) < MAX_SLOTS_PER_DAY:
            times.add(moment)
            moment += length
    return [(_clock(moment), places) for moment in sorted(times)]


def start_of(day, clock, zone):
    """The aware moment a slot starts."""
    minutes = _minutes(clock)
    return datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=zone)


def window(office, now, zone):
    """(first, last) days that can be booked at `now` (aware), in the province's dates."""
    today = now.astimezone(zone).date()
    first = today + timedelta(days=int(office.get("book_from_days") or 0))
    last = today + timedelta(days=int(office.get("book_until_days") or 0))
    return first, last


def earliest_start(office, now):
    """No slot starting before this moment can be booked (the cut-off)."""
    return now + timedelta(hours=float(office.get("cutoff_hours") or 0))


def bookable_slots(office, now, zone, first=None, last=None):
    """[(day, time, places, start)] of every slot open for booking at `now`, in order."""
    window_first, window_last = window(office, now, zone)
    first = max(first or window_first, window_first)
    last = min(last or window_last, window_last)
    earliest = earliest_start(office, now)
    found = []
    day = first
    while day <= last:
        for clock, places in day_times(office, day):
            start = start_of(day, clock, zone)
            if start >= earliest:
                found.append((day, clock, places, start))
        day += timedelta(days=1)
    return found


def is_bookable(office, day, clock, now, zone):
    """Places of the slot when it is one of the office's and open for booking at `now`, else 0."""
    if not office.get("active", True):
        return 0
    first, last = window(office, now, zone)
    if not first <= day <= last:
        return 0
    for slot_clock, places in day_times(office, day):
        if slot_clock == clock:
            return places if start_of(day, clock, zone) >= earliest_start(office, now) else 0
    return 0


def parse_day(text):
    """A date from 'YYYY-MM-DD' text, or None."""
    try:
        return date.fromisoformat(text) if isinstance(text, str) and len(text) == 10 else None
    except ValueError:
        return None


def parse_clock(text):
    """'HH:MM' when the text is a time of day, else None."""
    try:
        return datetime.strptime(text, "%H:%M").strftime("%H:%M") if isinstance(text, str) and len(text) == 5 else None
    except ValueError:
        return None
