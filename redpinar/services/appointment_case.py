"""An appointment followed with its code and PIN: the receipt, the calendar file, cancel, move."""
from datetime import datetime, timedelta, timezone

from flask import abort, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l

from ..participation.tracking import code_allowed
from ..sealing import unseal
from ..store import NotFound, codes
from ..store import appointments as store
from ..store import availability as free_places
from ..store.offices import get_office
from ..store.site import localized
from ..store.slots import parse_day
from ..urls import public_url
from . import bp
from .forms import ChooseTimeForm, ConfirmForm
from .wording import day_in_words, procedure_title, what_to_bring, when_in_words

codes.register("appointment", store.find_appointment, "services.appointment")


def _followed(code):
    """The appointment behind a code this visitor booked or opened with its PIN, else 404."""
    if not isinstance(code, str) or not code_allowed(code):
        abort(404)
    try:
        appointment = store.get_appointment(code)
        office = get_office(appointment["office"])
    except NotFound:
        abort(404)
    return appointment, office


def _pin_of(code):
    receipts = session.get("receipts")
    return unseal(receipts.get(code)) if isinstance(receipts, dict) and receipts.get(code) else None


@bp.route("/citas/cita/<code>/")
def appointment(code):
    """The receipt: office, address, day and time, what to bring, code (and PIN right after booking)."""
    appointment, office = _followed(code)
    return render_template("appointments/appointment.html", appointment=appointment, office=office,
                           pin=_pin_of(code), active=store.is_active(appointment), just_booked=bool(_pin_of(code)))


def _ics_text(text):
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


@bp.route("/citas/cita/<code>/cita.ics")
def appointment_ics(code):
    """The appointment as an iCalendar event, for the citizen's own calendar."""
    appointment, office = _followed(code)
    start = datetime.fromisoformat(appointment["start"]).astimezone(timezone.utc)
    end = start + timedelta(minutes=int(office.get("slot_minutes") or 15))
    stamp = "%Y%m%dT%H%M%SZ"
    summary = f"{procedure_title(appointment['procedure'])} · {localized(office['name'], 'es')}"
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//RedPinar//Citas//ES", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
        "BEGIN:VEVENT", f"UID:{appointment['id']}@redpinar",
        f"DTSTAMP:{datetime.now(timezone.utc).strftime(stamp)}",
        f"DTSTART:{start.strftime(stamp)}", f"DTEND:{end.strftime(stamp)}",
        f"SUMMARY:{_ics_text(summary)}", f"LOCATION:{_ics_text(office.get('address', ''))}",
        f"DESCRIPTION:{_ics_text(appointment['id'] + ' · ' + public_url('participation.tracking'))}",
        "STATUS:" + ("CONFIRMED" if appointment.get("status") == "booked" else "CANCELLED"),
        "END:VEVENT", "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n", 200, {
        "Content-Type": "text/calendar; charset=utf-8",
        "Content-Disposition": f'attachment; filename="cita-{appointment["id"]}.ics"',
    }


@bp.route("/citas/cita/<code>/anular", methods=["GET", "POST"])
def cancel(code):
    """A page that says what cancelling means; its button cancels and frees the place at once."""
    appointment, office = _followed(code)
    if not store.is_active(appointment):
        return redirect(url_for("services.appointment", code=code), 303)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate():
            abort(400)
        try:
            store.cancel(code)
        except store.NotChangeable:
            pass
        return redirect(url_for("services.appointment", code=code), 303)
    return render_template("appointments/cancel.html", appointment=appointment, office=office, form=form)


@bp.route("/citas/cita/<code>/cambiar", methods=["GET", "POST"])
def move(code):
    """Move to another free time of the same office: a day (?dia=), then one of its times."""
    appointment, office = _followed(code)
    if not store.is_active(appointment):
        return redirect(url_for("services.appointment", code=code), 303)
    form = ChooseTimeForm()
    day = parse_day(request.values.get("dia"))
    problem, status = None, 200
    if request.method == "POST":
        form.hora.choices = [(value, value) for value in [request.form.get("hora", "")]]
        if form.validate():
            chosen = form.hora.data or ""
            chosen_day, clock = parse_day(chosen[:10]), chosen[11:]
            try:
                if chosen_day is None:
                    raise store.NotBookable(chosen)
                store.move(code, chosen_day, clock)
                return redirect(url_for("services.appointment", code=code), 303)
            except store.NotChangeable:
                return redirect(url_for("services.appointment", code=code), 303)
            except (store.SlotFull, store.NotBookable):
                problem, status = _l("Esa hora ya no está libre. Elija otra."), 409
                day = chosen_day
        else:
            problem, status = _l("Elija una hora."), 400
    skip = (parse_day(appointment["day"]), appointment["time"])
    times = [slot for slot in free_places.places_left(office, first=day, last=day)
             if slot["places_left"] and (slot["day"], slot["time"]) != skip] if day else []
    form.hora.choices = [(f"{slot['day'].isoformat()}T{slot['time']}", when_in_words(slot["day"], slot["time"]))
                         for slot in times]
    return render_template("appointments/move.html", appointment=appointment, office=office, form=form,
                           days=free_places.free_days(office), day=day, times=times, problem=problem), status


@bp.app_template_filter("appointment_when")
def appointment_when(appointment):
    """The day and time of an appointment in words, in the visitor's language."""
    return when_in_words(parse_day(appointment["day"]), appointment["time"])


@bp.app_template_filter("day_words")
def day_words(day):
    """A day in words, in the visitor's language: 'martes 8 de diciembre'."""
    return day_in_words(day)


@bp.app_template_global("appointment_bring")
def appointment_bring(office, procedure_slug):
    """(note, documents, lang) of what to bring to an appointment."""
    return what_to_bring(office, procedure_slug)


@bp.app_template_global("procedure_title")
def procedure_title_global(slug):
    """A procedure's title in the visitor's language."""
    return procedure_title(slug)
