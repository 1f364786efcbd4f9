"""Public figures on how fast the government answers, and the open data behind them."""
import json
from datetime import date

from flask import g, render_template
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from ..csvfile import csv_response
from ..store import catalogue
from ..store.figures import all_figures, median_from_counts, overdue_now
from ..store.site import localized
from . import bp
from .forms import SUBMISSION_TYPES

SMALLEST_GROUP = 5  # smaller groups are not shown apart, so nobody can be recognised


def breakdown(counts, label):
    """[(label, count)] biggest first, with groups under five merged into 'others'."""
    rows, others = [], 0
    for key, count in counts.most_common():
        if count < SMALLEST_GROUP:
            others += count
        else:
            rows.append((label(key), count))
    if others >= SMALLEST_GROUP:
        rows.append((_l("Otros (grupos de menos de 5)"), others))
    return rows


def figures_for_page():
    """Everything /transparencia/ and /datos/ show, in the visitor's language."""
    figures = all_figures()
    language = str(get_locale())
    names = {
        "type": lambda key: SUBMISSION_TYPES[key][0] if key in SUBMISSION_TYPES else key,
        "topic": lambda key: localized((catalogue.optional("topics", key) or {}).get("name"), language) or key,
        "entity": lambda key: (catalogue.optional("entities", key) or {}).get("name") or _l("Sin entidad indicada"),
        "municipality": lambda key: _municipality_name(key),
        "month": lambda key: key,
    }
    answered = figures["answered"]
    return {
        "total": figures["total"],
        "examples": figures["examples"],
        "answered": answered,
        "on_time_share": round(100 * figures["on_time"] / answered) if answered else None,
        "median_days": median_from_counts(figures["days_to_answer"]),
        "overdue": overdue_now(figures["open_due"]),
        "first": figures["first"],
        "today": date.today().isoformat(),
        "by": {name: breakdown(figures[name], label) for name, label in names.items() if name != "month"},
        "by_month": sorted((key, count) for key, count in figures["month"].items() if count >= SMALLEST_GROUP),
        "faq": sorted(figures["faq"], key=lambda entry: entry["published"], reverse=True),
    }


def _municipality_name(slug):
    for municipality in g.site.get("municipalities", []):
        if municipality["slug"] == slug:
            return municipality["name"]
    return slug


@bp.route("/transparencia/")
def transparency():
    """Counts, answers on time, median days to answer, overdue now; charts with tables."""
    return render_template("participation/transparency.html", figures=figures_for_page())


@bp.route("/datos/")
def open_data():
    """What the open data files hold, and links to them."""
    return render_template("participation/open_data.html", figures=figures_for_page())


def _table(name, figures):
    if name == "meses":
        return [("mes", "mensajes")] + figures["by_month"]
    if name == "preguntas":
        return [("tema", "pregunta", "respuesta", "publicada")] + [
            (entry["topic"], entry["question"], entry["answer"], entry["published"]) for entry in figures["faq"]]
    key = {"tipos": "type", "temas": "topic", "entidades": "entity", "municipios": "municipality"}[name]
    return [(name[:-1] if name != "municipios" else "municipio", "mensajes")] + [
        (str(label), count) for label, count in figures["by"][key]]


TABLES = ("meses", "tipos", "temas", "entidades", "municipios", "preguntas")


@bp.route("/datos/<name>.<extension>")
def open_data_file(name, extension):
    """One open data table as CSV or JSON (aggregates and published answers only)."""
    if name not in TABLES or extension not in ("csv", "json"):
        return render_template("errors/error.html", code=404, title=_l("Página no encontrada"),
                               message=_l("Ese archivo de datos no existe.")), 404
    rows = _table(name, figures_for_page())
    if extension == "json":
        header, body = rows[0], rows[1:]
        return json.dumps([dict(zip(header, row)) for row in body], ensure_ascii=False, indent=1), 200, {
            "Content-Type": "application/json; charset=utf-8"}
    return csv_response(rows, f"{name}.csv")
