"""Appointment figures for /transparencia/ and /datos/: per office and month, and today's wait for a free time."""
from datetime import datetime

from babel.dates import format_skeleton

from ..store.appointment_upkeep import month_figures
from ..store.appointments import now_utc, office_months, province_zone
from ..store.availability import days_until_first_free
from ..store.offices import list_offices
from ..store.site import localized

# The months per office: the latest ones, so the page (and the file) stays light however long the history.
MONTHS_IN_DATA = 12
MONTHS_ON_PAGE = 3
FIGURES = ("offered", "booked", "cancelled", "attended", "not_attended")
MONTH_COLUMNS = ("office", "office_es", "office_en", "month") + FIGURES
WAIT_COLUMNS = ("office", "office_es", "office_en", "days_until_first_free")
TABLES = {"citas": MONTH_COLUMNS, "citas-espera": WAIT_COLUMNS}
LANGUAGES = ("es", "en")


def _months(office, this_month, count):
    """The months of an office worth a row: those holding appointments and this month, the latest `count` first."""
    return sorted(set(office_months(office["slug"])) | {this_month}, reverse=True)[:count]


def month_rows(count=MONTHS_IN_DATA):
    """[{office, office_es, office_en, month, offered, booked, cancelled, attended, not_attended}], office by office."""
    this_month = now_utc().astimezone(province_zone()).strftime("%Y-%m")
    rows = []
    for office in list_offices():
        names = {f"office_{language}": localized(office.get("name"), language) for language in LANGUAGES}
        for month in _months(office, this_month, count):
            rows.append(dict(office=office["slug"], **names, month=month, **month_figures(office, month)))
    return rows


def wait_rows():
    """[{office, office_es, office_en, days_until_first_free}] of the offices that book now (None: nothing free)."""
    return [{"office": office["slug"],
             **{f"office_{language}": localized(office.get("name"), language) for language in LANGUAGES},
             "days_until_first_free": days_until_first_free(office)}
            for office in list_offices(active_only=True)]


def month_name(month, language):
    """'2026-12' as 'diciembre de 2026' / 'December 2026'."""
    return format_skeleton("yMMMM", datetime.strptime(month + "-01", "%Y-%m-%d").date(), locale=language)


def appointment_figures(language):
    """What /transparencia/ shows of appointments, in the visitor's language."""
    months = month_rows(MONTHS_ON_PAGE)
    waits = wait_rows()
    for row in months + waits:
        row["name"] = row[f"office_{language}"] or row["office_es"] or row["office"]
    for row in months:
        row["month_name"] = month_name(row["month"], language)
    top = max([row["days_until_first_free"] or 0 for row in waits] + [1])
    return {"months": months, "waits": waits, "top_wait": top}


def open_data_rows(name):
    """(columns, rows) of one of the appointment open data tables."""
    columns = TABLES[name]
    found = month_rows() if name == "citas" else wait_rows()
    return columns, [tuple(row[column] for column in columns) for row in found]
