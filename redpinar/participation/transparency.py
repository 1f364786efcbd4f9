"""Public figures on how fast the government answers, and the open data behind them."""
import json
from datetime import date, datetime

from babel.dates import format_skeleton
from flask import g, render_template
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l

from ..csvfile import csv_response
from ..store import catalogue
from ..store.figures import all_figures, median_from_counts, overdue_now
from ..store.site import localized
from ..templating import province_zone
from . import bp
from .appointment_figures import TABLES as APPOINTMENT_TABLES
from .appointment_figures import appointment_figures, open_data_rows
from .forms import SUBMISSION_TYPES, UNKNOWN_ENTITY
from .request_figures import REQUEST_TABLES, request_table
from .request_figures import figures_for_page as request_figures_for_page

SMALLEST_GROUP = 5  # smaller groups are not shown apart, so nobody can be recognised
# The code of the row adding up the small groups: brackets, so it can never be a slug.
OTHERS = "(otros)"
# Open data files carry the labels in both languages, whoever downloads them.
LANGUAGES = ("es", "en")
# Each breakdown: its open data table and its column.
BREAKDOWNS = {"meses": "month", "tipos": "type", "temas": "topic", "entidades": "entity", "municipios": "municipality"}
TABLES = tuple(BREAKDOWNS) + ("preguntas",) + tuple(APPOINTMENT_TABLES) + tuple(REQUEST_TABLES)
FAQ_COLUMNS = ("topic", "topic_es", "topic_en", "question", "answer", "published")


def breakdown(counts, chronological=False):
    """[(code, count)]: the groups of five or more, then one row adding up all the smaller ones.

    The rows always sum to the total received; no group under five is shown apart.
    """
    order = (lambda row: row[0]) if chronological else (lambda row: (-row[1], row[0]))
    rows = sorted(((key, count) for key, count in counts.items() if count >= SMALLEST_GROUP), key=order)
    others = sum(count for count in counts.values() if count < SMALLEST_GROUP)
    return rows + [(OTHERS, others)] if others else rows


def group_label(column, code, language):
    """The name of one group of a breakdown in a given language, whatever the visitor's."""
    with force_locale(language):
        if code == OTHERS:
            return str(_l("Otros (grupos de menos de 5)"))
        if column == "month":
            try:
                return format_skeleton("yMMMM", date.fromisoformat(code + "-01"), locale=language)
            except ValueError:
                return code
        if column == "type":
            return str(SUBMISSION_TYPES[code][0]) if code in SUBMISSION_TYPES else code
        if column == "topic":
            return localized((catalogue.optional("topics", code) or {}).get("name"), language) or code
        if column == "entity":
            if code in ("", UNKNOWN_ENTITY):
                return str(_l("Sin entidad indicada"))
            return localized((catalogue.optional("entities", code) or {}).get("name"), language) or code
        return _municipality_name(code, language)


def _municipality_name(slug, language):
    for municipality in g.site.get("municipalities", []):
        if municipality["slug"] == slug:
            return localized(municipality["name"], language)
    return slug


def _today():
    return datetime.now(province_zone()).date()


def figures_for_page():
    """Everything /transparencia/ and /datos/ show, in the visitor's language."""
    figures = all_figures()
    language = str(get_locale())
    answered = figures["answered"]
    return {
        "total": figures["total"],
        "examples": figures["examples"],
        "answered": answered,
        "on_time_share": round(100 * figures["on_time"] / answered) if answered else None,
        "median_days": median_from_counts(figures["days_to_answer"]),
        "overdue": overdue_now(figures["open_due"]),
        "forwarded_late": figures["forwarded_late"],
        "not_forwarded": overdue_now(figures["open_forward_by"], _today()),
        "first": figures["first"],
        "today": date.today().isoformat(),
        "by": {column: [(group_label(column, code, language), count)
                        for code, count in breakdown(figures[column], chronological=column == "month")]
               for column in BREAKDOWNS.values()},
        "faq": sorted(figures["faq"], key=lambda entry: entry["published"], reverse=True),
    }


@bp.route("/transparencia/")
def transparency():
    """Counts, answers on time, median days to answer, overdue now; charts with tables."""
    return render_template("participation/transparency.html", figures=figures_for_page(),
                           appointments=appointment_figures(str(get_locale())),
                           request_figures=request_figures_for_page(str(get_locale())))


@bp.route("/datos/")
def open_data():
    """What the open data files hold, their columns, and links to them."""
    return render_template("participation/open_data.html", figures=figures_for_page(), breakdowns=BREAKDOWNS,
                           faq_columns=FAQ_COLUMNS, languages=LANGUAGES, others=OTHERS,
                           appointment_tables=APPOINTMENT_TABLES, request_tables=REQUEST_TABLES)


def open_data_table(name):
    """(columns, rows) of one open data table: codes, labels in every language, never the visitor's."""
    if name in APPOINTMENT_TABLES:
        return open_data_rows(name)
    if name in REQUEST_TABLES:
        return request_table(name)
    figures = all_figures()
    if name == "preguntas":
        rows = [(entry["topic"], *(group_label("topic", entry["topic"], language) for language in LANGUAGES),
                 entry["question"], entry["answer"], datetime.fromisoformat(entry["published"]))
                for entry in sorted(figures["faq"], key=lambda entry: entry["published"], reverse=True)]
        return FAQ_COLUMNS, rows
    column = BREAKDOWNS[name]
    columns = (column, *(f"{column}_{language}" for language in LANGUAGES), "messages")
    rows = [(code, *(group_label(column, code, language) for language in LANGUAGES), count)
            for code, count in breakdown(figures[column], chronological=column == "month")]
    return columns, rows


def _json_value(value):
    if isinstance(value, datetime):
        return value.astimezone(province_zone()).isoformat(timespec="minutes")
    return value


@bp.route("/datos/<name>.<extension>")
def open_data_file(name, extension):
    """One open data table as CSV or JSON (aggregates and published answers only)."""
    if name not in TABLES or extension not in ("csv", "json"):
        return render_template("errors/error.html", code=404, title=_l("Página no encontrada"),
                               message=_l("Ese archivo de datos no existe.")), 404
    columns, rows = open_data_table(name)
    if extension == "json":
        body = [{column: _json_value(value) for column, value in zip(columns, row)} for row in rows]
        return json.dumps(body, ensure_ascii=False, indent=1), 200, {
            "Content-Type": "application/json; charset=utf-8"}
    return csv_response([columns] + rows, f"{name}.csv", zone=province_zone())
