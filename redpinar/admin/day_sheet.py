"""The day sheet of an office: the day's appointments by time, marked attended or not, printed, exported."""
from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..csvfile import csv_response
from ..security import client_address
from ..store import NotFound, audit, slots
from ..store.appointments import OUTCOMES, appointments_on, now_utc, province_zone, set_outcome
from . import bp
from .forms import EmptyForm
from .offices import _names, _office_or_404, day_words

# How far the links to the previous and next open day look (a closed office has no neighbour).
NEIGHBOUR_DAYS = 366
STATUS_WORDS = {"booked": _l("Reservada"), "cancelled": _l("Anulada")}
OUTCOME_WORDS = {"attended": _l("Asistió"), "not_attended": _l("No asistió")}


def province_today():
    """Today's date in the province."""
    return now_utc().astimezone(province_zone()).date()


def neighbour_open_day(office, day, step):
    """The nearest day before (step -1) or after (step 1) `day` on which the office opens, or None."""
    for offset in range(1, NEIGHBOUR_DAYS + 1):
        candidate = day + timedelta(days=offset * step)
        if slots.day_times(office, candidate):
            return candidate
    return None


def status_words(appointment):
    """What became of an appointment, in the panel's language."""
    if appointment.get("status") == "cancelled":
        return str(STATUS_WORDS["cancelled"])
    outcome = appointment.get("outcome")
    return str(OUTCOME_WORDS[outcome]) if outcome in OUTCOME_WORDS else str(STATUS_WORDS["booked"])


def _asked_day():
    """(day, problem): the day of ?dia=, today when absent; today and a message when it is not a date."""
    text = request.args.get("dia")
    if text is None:
        return province_today(), None
    day = slots.parse_day(text)
    if day is None:
        return province_today(), gettext("«%(text)s» no es una fecha (AAAA-MM-DD): se muestra hoy.", text=text[:40])
    return day, None


@bp.route("/oficinas/<slug>/dia/")
@login_required
def day_sheet(slug):
    """The day's appointments of an office by time: code, name, identity card, procedure, status."""
    office = _office_or_404(slug)
    day, problem = _asked_day()
    return render_template("admin/day_sheet.html", office=office, day=day.isoformat(), day_words=day_words,
                           appointments=appointments_on(slug, day), names=_names(), status_words=status_words,
                           opens=bool(slots.day_times(office, day)), problem=problem, form=EmptyForm(),
                           previous=neighbour_open_day(office, day, -1), following=neighbour_open_day(office, day, 1),
                           today=province_today().isoformat()), 400 if problem else 200


@bp.route("/oficinas/<slug>/dia/marcar", methods=["POST"])
@login_required
def day_sheet_mark(slug):
    """Mark one booked appointment attended or not attended, or clear the mark (undo)."""
    office = _office_or_404(slug)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    day = slots.parse_day(request.form.get("dia"))
    outcome = request.form.get("resultado", "")
    code = request.form.get("cita", "")
    if day is None or outcome not in OUTCOMES + ("",):
        abort(400)
    appointment = next((held for held in appointments_on(slug, day) if held.get("id") == code), None)
    if appointment is None:
        abort(404)
    if appointment.get("status") != "booked":
        flash(_l("Una cita anulada no se marca."), "error")
    else:
        try:
            set_outcome(code, outcome or None)
        except NotFound:
            abort(404)
        audit.record(current_user.username, "appointment-outcome", target=code, title=office["name"]["es"],
                     facts={"outcome": outcome or "none"}, address=client_address())
        flash(_l("Cita %(code)s: %(status)s.", code=code,
                 status=OUTCOME_WORDS[outcome] if outcome else _l("sin marcar")), "ok")
    return redirect(url_for("admin.day_sheet", slug=slug, dia=day.isoformat(), _anchor=f"cita-{code}"), 303)


@bp.route("/oficinas/<slug>/dia/citas.csv")
@login_required
def day_sheet_csv(slug):
    """The day sheet as a CSV file (every cell safe to open in a spreadsheet)."""
    _office_or_404(slug)
    day, problem = _asked_day()
    if problem:
        abort(404)
    names = _names()
    purged = gettext("(datos borrados: plazo de conservación)")
    rows = [[gettext("Hora"), gettext("Código"), gettext("Nombre"), gettext("Carné de identidad"),
             gettext("Trámite"), gettext("Estado")]]
    for appointment in appointments_on(slug, day):
        anonymised = appointment.get("anonymised")
        rows.append([appointment["time"], appointment["id"], purged if anonymised else appointment.get("name", ""),
                     "" if anonymised else appointment.get("id_card", ""),
                     names.get(("procedure", appointment.get("procedure")), appointment.get("procedure", "")),
                     status_words(appointment)])
    return csv_response(rows, f"citas-{slug}-{day.isoformat()}.csv")
