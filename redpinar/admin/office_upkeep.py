"""Appointments a new schedule no longer holds: the office page lists them until each is moved or cancelled."""
from flask import abort, flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..security import client_address
from ..services.reminders import notify_appointment_change
from ..store import NotFound, audit, slots
from ..store.appointment_upkeep import appointments_not_fitting
from ..store.appointments import AppointmentRefused, cancel, find_appointment, move
from ..store.availability import next_free
from ..store.offices import get_office
from . import bp
from .forms import EmptyForm

# Free times offered for each appointment to move: the first ones the citizen could book.
FREE_TIMES_OFFERED = 12


def appointments_to_settle(office):
    """[(appointment, [free slots to move it to])] of the booked appointments the office's schedule no longer holds."""
    not_fitting = appointments_not_fitting(office)
    if not not_fitting:
        return []
    free = next_free(office, count=FREE_TIMES_OFFERED)
    return [(appointment, free) for appointment in not_fitting]


def warn_if_unsettled(office):
    """After a schedule or a special day is saved: say how many booked appointments no longer fit."""
    count = len(appointments_not_fitting(office))
    if count:
        flash(ngettext("%(num)d cita ya reservada no cabe en el horario nuevo: muévala o anúlela en la lista "
                       "«Citas que no caben».",
                       "%(num)d citas ya reservadas no caben en el horario nuevo: muévalas o anúlelas en la lista "
                       "«Citas que no caben».", count), "error")
    return count


def _office_appointment(slug, code):
    """(office, appointment) when the code is an appointment of this office, else 404."""
    try:
        office = get_office(slug)
    except NotFound:
        abort(404)
    appointment = find_appointment(code)
    if appointment is None or appointment.get("office") != slug:
        abort(404)
    return office, appointment


def _back(slug):
    return redirect(url_for("admin.office_edit", slug=slug, _anchor="no-caben"), 303)


@bp.route("/oficinas/<slug>/citas/<code>/mover", methods=["POST"])
@login_required
def office_appointment_move(slug, code):
    """Move an appointment that no longer fits to a free time; the citizen is told by email."""
    office, appointment = _office_appointment(slug, code)
    if not EmptyForm().validate_on_submit():
        abort(400)
    chosen = request.form.get("hora", "")
    day, clock = slots.parse_day(chosen[:10]), slots.parse_clock(chosen[11:16])
    if day is None or clock is None or len(chosen) != 16:
        flash(_l("Elija una hora libre para mover la cita %(code)s.", code=code), "error")
        return _back(slug)
    try:
        moved = move(code, day, clock, by="office")
    except AppointmentRefused:
        flash(_l("La cita %(code)s no se movió: esa hora ya no está libre o la cita ya no está activa. Elija otra.",
                 code=code), "error")
        return _back(slug)
    told = notify_appointment_change(moved, "moved")
    audit.record(current_user.username, "appointment-move", target=code, title=office["name"]["es"],
                 facts={"day": moved["day"], "time": moved["time"]}, address=client_address())
    flash(_l("Cita %(code)s movida.", code=code) + " " + (
        _l("Se avisó por correo a la persona.") if told else _l("La persona no dio correo: avísele por otra vía.")),
        "ok")
    return _back(slug)


@bp.route("/oficinas/<slug>/citas/<code>/anular", methods=["POST"])
@login_required
def office_appointment_cancel(slug, code):
    """Cancel an appointment that no longer fits; the citizen is told by email."""
    office, appointment = _office_appointment(slug, code)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        cancelled = cancel(code, by="office")
    except AppointmentRefused:
        flash(_l("La cita %(code)s ya no está activa.", code=code), "error")
        return _back(slug)
    told = notify_appointment_change(cancelled, "cancelled")
    audit.record(current_user.username, "appointment-cancel", target=code, title=office["name"]["es"],
                 facts={"day": cancelled["day"]}, address=client_address())
    flash(_l("Cita %(code)s anulada.", code=code) + " " + (
        _l("Se avisó por correo a la persona.") if told else _l("La persona no dio correo: avísele por otra vía.")),
        "ok")
    return _back(slug)
