"""The calendar of sports, cultural and entertainment events, and its iCalendar export."""
import calendar
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import g, render_template, request
from flask_babel import format_date
from icalendar import Calendar, Event

from ..addresses import page_language
from ..pagecache import query_parameters
from ..sitecopy.mode import copy_options
from ..store import catalogue
from ..store.site import localized
from ..urls import public_host, public_url
from . import bp
from .filters import municipality_filter, municipality_name

# Spanish slug in the URL -> category stored in the document
CATEGORIES = {"deportes": "sports", "cultura": "culture", "recreacion": "entertainment"}


def province_zone():
    """The province's time zone."""
    return ZoneInfo(g.site.get("timezone", "America/Havana"))


def category_filter():
    """The ?categoria= value when it is a known category."""
    wanted = request.args.get("categoria", "")
    return wanted if wanted in CATEGORIES else None


def month_filter():
    """(year, month) from ?mes=YYYY-MM, or None."""
    raw = request.args.get("mes", "")
    try:
        chosen = datetime.strptime(raw, "%Y-%m")
    except ValueError:
        return None
    return (chosen.year, chosen.month) if 1900 < chosen.year < 3000 else None


@bp.route("/eventos/")
@query_parameters("categoria", "municipio", "mes")
def events():
    """Upcoming events first, or one month as a calendar; filtered by category and municipality."""
    category, municipality, month = category_filter(), municipality_filter(), month_filter()
    filters = {"category": CATEGORIES.get(category), "municipality": municipality}
    chosen = {"categoria": category, "municipio": municipality}
    zone = province_zone()
    today = datetime.now(zone).date()
    if copy_options():
        # A copy has no calendar of months (?mes=): its one page lists every event, upcoming and past.
        upcoming = catalogue.upcoming_events(**filters)
        coming = {event["id"] for event in upcoming}
        past = [event for event in catalogue.events(**filters) if event["id"] not in coming]
        return render_template("public/events.html", events=upcoming, past=list(reversed(past)),
                               chosen=chosen, this_month=today.strftime("%Y-%m"), categories=CATEGORIES)
    if month is None:
        return render_template("public/events.html", events=catalogue.upcoming_events(**filters)[:60],
                               chosen=chosen, this_month=today.strftime("%Y-%m"), categories=CATEGORIES)
    year, number = month
    first = datetime(year, number, 1, tzinfo=zone)
    following = (first + timedelta(days=32)).replace(day=1)
    in_month = catalogue.events(start=first, end=following, **filters)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, number)
    by_day = {}
    for event in in_month:
        begins = datetime.fromisoformat(event["start"]).astimezone(zone).date()
        ends = datetime.fromisoformat(event.get("end") or event["start"]).astimezone(zone).date()
        day = max(begins, first.date())
        while day <= ends and day < following.date():
            by_day.setdefault(day, []).append(event)
            day += timedelta(days=1)
    previous = (first - timedelta(days=1)).strftime("%Y-%m")
    return render_template(
        "public/events_month.html", weeks=weeks, by_day=by_day, month=date(year, number, 1),
        month_name=format_date(date(year, number, 1), "LLLL y"),
        today=today, previous=previous, following=following.strftime("%Y-%m"),
        chosen=chosen, categories=CATEGORIES, count=len(in_month),
    )


@bp.route("/eventos/<slug>/")
def event(slug):
    """One event."""
    return render_template("public/event.html", event=catalogue.by_slug("events", slug),
                           categories={value: key for key, value in CATEGORIES.items()})


@bp.route("/eventos.ics")
def events_calendar():
    """Every upcoming event (and those of the last month) as iCalendar."""
    since = datetime.now(province_zone()) - timedelta(days=31)
    return _ics(catalogue.events(start=since), "eventos.ics")


@bp.route("/eventos/<slug>.ics")
def event_calendar(slug):
    """One event as iCalendar, to add it to a phone's calendar."""
    return _ics([catalogue.by_slug("events", slug)], f"{slug}.ics")


def _utc(value):
    moment = datetime.fromisoformat(value)
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def _ics(events, filename):
    # The address's language: /en/eventos.ics has English titles and links to the English pages.
    language = page_language()
    ical = Calendar()
    ical.add("prodid", "-//RedPinar//" + g.site.get("short_name", "") + "//" + language.upper())
    ical.add("version", "2.0")
    ical.add("x-wr-calname", localized(g.site.get("name"), language))
    host = public_host()
    for stored in events:
        link = public_url("public.event", slug=stored["slug"])
        entry = Event()
        entry.add("uid", f"{stored['id']}@{host}")
        # UTC times: every calendar reads them the same, with no time zone table to ship.
        entry.add("dtstamp", _utc(stored["updated"]))
        entry.add("dtstart", _utc(stored["start"]))
        entry.add("dtend", _utc(stored.get("end") or stored["start"]))
        entry.add("summary", localized(stored.get("title"), language))
        entry.add("description", f"{localized(stored.get('summary'), language)}\n\n{link}")
        place = (stored.get("place"), municipality_name(stored.get("municipality")))
        entry.add("location", ", ".join(part for part in place if part))
        entry.add("url", link)
        ical.add_component(entry)
    return ical.to_ical(), 200, {
        "Content-Type": "text/calendar; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{filename}"',
    }
