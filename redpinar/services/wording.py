"""How appointments read: days and times in words, what to bring, the procedures an office books."""
import functools

from babel.dates import format_date, get_day_names
from flask_babel import get_locale

from ..store import catalogue
from ..store.site import localized
from ..store.slots import parse_day

DAY_PATTERNS = {"es": "EEEE d 'de' MMMM", "en": "EEEE d MMMM"}


def day_in_words(day, language=None):
    """'martes 8 de diciembre' / 'Tuesday 8 December'."""
    return _day_in_words(day, language or str(get_locale()))


@functools.lru_cache(maxsize=2048)
def _day_in_words(day, language):
    # The pages of free days name the same few weeks of days over and over.
    return format_date(day, DAY_PATTERNS.get(language, DAY_PATTERNS["en"]), locale=language)


def clock_in_words(clock):
    """'9:15' from '09:15' (the province's local time, as stored)."""
    hours, minutes = clock.split(":")
    return f"{int(hours)}:{minutes}"


def when_in_words(day, clock, language=None):
    """'martes 8 de diciembre, 9:15' / 'Tuesday 8 December, 9:15'."""
    return f"{day_in_words(day, language)}, {clock_in_words(clock)}"


def procedure_of(slug):
    """The procedure document of a slug, or None."""
    return catalogue.optional("procedures", slug)


def procedure_title(slug, language=None):
    """A procedure's title in the visitor's language (its slug when it is gone)."""
    procedure = procedure_of(slug)
    return localized(procedure.get("title"), language or str(get_locale())) if procedure else slug


def what_to_bring(office, procedure_slug, language=None):
    """(text, list, lang): the office's own note, else the procedure's documents (kept in Spanish)."""
    language = language or str(get_locale())
    note = localized(office.get("bring"), language)
    if note:
        return note, [], language
    procedure = procedure_of(procedure_slug)
    return "", list((procedure or {}).get("documents") or []), "es"


def opening_hours(office, language=None):
    """[(weekday name, '8:00–12:00, 13:00–16:00')] of the office's open weekdays, Monday first."""
    names = get_day_names("wide", locale=language or str(get_locale()))
    return [(names[int(weekday) - 1], ", ".join(f"{clock_in_words(start)}–{clock_in_words(end)}"
                                                for start, end in office["weekly"][weekday]))
            for weekday in sorted(office.get("weekly") or {}, key=int) if office["weekly"][weekday]]


def exceptions_from(office, first_day):
    """The office's closed days and days of other hours from first_day on: [(day, closed, hours, note)]."""
    found = []
    for exception in office.get("exceptions") or []:
        day = parse_day(exception.get("date"))
        if day is None or day < first_day:
            continue
        hours = ", ".join(f"{clock_in_words(start)}–{clock_in_words(end)}" for start, end in exception.get("hours") or [])
        found.append((day, bool(exception.get("closed")), hours, exception.get("note") or {}))
    return found
