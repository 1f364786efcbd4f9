"""Booking an appointment: office and procedure, a day, a time, who comes, a check, the receipt."""
import json
import secrets
from datetime import datetime

from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from .. import csrf
from ..bounded import BoundedCache
from ..limits import window
from ..participation.cases import clean_text, form_started, hash_pin, new_pin, seconds_since_start, start_token
from ..sealing import seal
from ..sitecopy.mode import copy_options
from ..security import client_address
from ..store import NotFound
from ..store import appointments as store
from ..store import availability as free_places
from ..store import db
from ..store.offices import get_office, list_offices
from ..store.paths import collection_path
from ..store.site import site_path
from ..store.slots import parse_clock, parse_day
from . import bp
from .forms import AppointmentForm
from .wording import exceptions_from, opening_hours, procedure_of, when_in_words

BOOKINGS_PER_HOUR = 5
_kept_office_pages = BoundedCache(budget_bytes=8 * 1024 * 1024, max_entries=512)
RECEIPTS_KEPT = 5
NEXT_TIMES_OFFERED = 5


def _bookable_office(slug):
    """An active office by slug, else 404."""
    try:
        office = get_office(slug)
    except (NotFound, TypeError):
        abort(404)
    if not office.get("active"):
        abort(404)
    return office


def _chosen_procedure(office, slug):
    """The procedure slug when the office books it and it is published, else None."""
    return slug if slug in office["procedures"] and procedure_of(slug) is not None else None


def _booked_procedures(office):
    return [slug for slug in office["procedures"] if procedure_of(slug) is not None]


@bp.app_template_global("appointment_offices_all")
def appointment_offices_all():
    """Every active office that takes appointments (for the open data page)."""
    return list_offices(active_only=True)


@bp.app_template_global("appointment_offices")
def appointment_offices(procedure_slug):
    """The active offices that book a procedure (empty when none)."""
    if "services.appointments" not in current_app.view_functions:
        return []
    try:
        return [office for office in list_offices(active_only=True) if procedure_slug in office["procedures"]]
    except Exception:  # noqa: BLE001  (a broken offices file must not take the procedure page down)
        current_app.logger.exception("offices could not be read")
        return []


@bp.route("/citas/")
def appointments():
    """Offices that take appointments, by municipality and procedure."""
    # A copy of the site holds the one page without filters: every office.
    municipality = "" if copy_options() else request.args.get("municipio", "")
    procedure = "" if copy_options() else request.args.get("tramite", "")
    offices = list_offices(active_only=True)
    municipalities = {m["slug"] for m in g.site.get("municipalities", [])}
    if municipality in municipalities:
        offices = [office for office in offices if office["municipality"] == municipality]
    else:
        municipality = ""
    booked = sorted({slug for office in offices for slug in _booked_procedures(office)})
    if procedure in booked:
        offices = [office for office in offices if procedure in office["procedures"]]
    else:
        procedure = ""
    procedures = {slug: procedure_of(slug) for office in list_offices(active_only=True)
                  for slug in _booked_procedures(office)}
    return render_template("appointments/offices.html", offices=offices, procedures=procedures,
                           municipality=municipality, procedure=procedure,
                           municipality_names={m["slug"]: m["name"] for m in g.site.get("municipalities", [])})


def _office_page_key(office):
    """What the page of an office's free days or times depends on; None when it is not worth keeping."""
    if any(name not in ("tramite", "dia", "lang") for name in request.args) or len(request.args) > 3:
        return None
    return (current_app.config["DATA_DIR"], request.path, tuple(sorted(request.args.items())), str(get_locale()),
            free_places.places_version(office), db.version_of(site_path()),
            db.version_of(collection_path("procedures")))


@bp.route("/citas/<office_slug>/")
def office(office_slug):
    """The office's procedures; with one chosen, the days with free places; with a day, its free times."""
    chosen_office = _bookable_office(office_slug)
    if copy_options():
        return _office_in_copy(chosen_office)
    # The same page for every visitor until a booking, a cancellation or a new schedule changes
    # the office's places (or the minute turns): kept rendered in between.
    key = _office_page_key(chosen_office)
    kept = _kept_office_pages.get(key) if key else None
    if kept is not None:
        return kept
    procedure = _chosen_procedure(chosen_office, request.args.get("tramite"))
    day = parse_day(request.args.get("dia"))
    days = free_places.free_days(chosen_office) if procedure and not day else []
    times = [slot for slot in free_places.places_left(chosen_office, first=day, last=day) if slot["places_left"]] \
        if procedure and day else []
    html = render_template("appointments/office.html", office=chosen_office, procedure=procedure,
                           procedures=_booked_procedures(chosen_office), days=days, day=day, times=times)
    if key:
        _kept_office_pages.put(key, html, len(html) + 1024)
    return html


def _office_in_copy(office):
    """The office's page in a copy of the site: address, hours, procedures, what to bring; no free times."""
    made = copy_options().made
    return render_template("appointments/office_copy.html", office=office, procedures=_booked_procedures(office),
                           hours=opening_hours(office), exceptions=exceptions_from(office, made))


@bp.route("/citas/<office_slug>/disponibilidad.json")
def availability(office_slug):
    """Each bookable slot's start, places and places left (no personal data)."""
    chosen_office = _bookable_office(office_slug)
    slots = [{"start": slot["start"], "places": slot["places"], "places_left": slot["places_left"]}
             for slot in free_places.places_left(chosen_office)]
    body = {"office": chosen_office["slug"], "timezone": str(store.province_zone()),
            "generated": datetime.now(store.province_zone()).isoformat(timespec="seconds"), "slots": slots}
    return json.dumps(body, ensure_ascii=False, indent=1), 200, {"Content-Type": "application/json; charset=utf-8"}


def _slot_of(text):
    """(day, time) from 'YYYY-MM-DDTHH:MM', or (None, None)."""
    if not isinstance(text, str) or len(text) != 16 or text[10] != "T":
        return None, None
    day, clock = parse_day(text[:10]), parse_clock(text[11:])
    return (day, clock) if day and clock else (None, None)


def _render_form(office, procedure, form, status=200, message=None, alternatives=None, checking=False):
    if form_started(form.iniciado.data) is None:
        form.iniciado.data = start_token()
    day, clock = _slot_of(form.hora.data)
    return render_template("appointments/book.html", office=office, procedure=procedure, form=form,
                           day=day, clock=clock, message=message, alternatives=alternatives or [],
                           checking=checking), status


@bp.route("/citas/<office_slug>/reservar", methods=["GET", "POST"])
@csrf.exempt  # checked by the form itself, so an expired token brings the answers back instead of a bare 400
def book(office_slug):
    """Who comes (GET shows the form for the time in ?hora=); a post is checked, then confirmed."""
    chosen_office = _bookable_office(office_slug)
    procedure = _chosen_procedure(chosen_office, request.values.get("tramite"))
    if procedure is None:
        return redirect(url_for("services.office", office_slug=office_slug), 303)
    form = AppointmentForm()
    if request.method == "GET":
        form.hora.data = request.args.get("hora", "")
        form.iniciado.data = start_token()
        if _slot_of(form.hora.data)[0] is None:
            return redirect(url_for("services.office", office_slug=office_slug, tramite=procedure), 303)
        return _render_form(chosen_office, procedure, form)
    valid = form.validate()
    day, clock = _slot_of(form.hora.data)
    if day is None:
        return redirect(url_for("services.office", office_slug=office_slug, tramite=procedure), 303)
    if not valid:
        expired = "csrf_token" in form.errors
        form.csrf_token.errors = []
        message = _l("El formulario caducó mientras lo llenaba. Sus datos siguen aquí: revíselos y continúe.") \
            if expired else None
        return _render_form(chosen_office, procedure, form, 400, message)
    if request.form.get("accion") != "confirmar":
        # First the check page; "Cambiar" brings the form back with the answers.
        return _render_form(chosen_office, procedure, form, checking=request.form.get("accion") == "revisar")
    return _confirm(chosen_office, procedure, form, day, clock)


def _confirm(office, procedure, form, day, clock):
    """The guards, then the booking under the store's lock; a taken place brings the next free times."""
    if form.website.data:
        return _pretend_booked(office, procedure, day, clock)
    elapsed = seconds_since_start(form.iniciado.data)
    if elapsed is None or elapsed < current_app.config["FORM_MIN_SECONDS"]:
        return _render_form(office, procedure, form, 400, _l(
            "Revise sus datos y confirme de nuevo. Sus datos siguen aquí."), checking=True)
    limiter, address = window("appointments", BOOKINGS_PER_HOUR, 3600), client_address()
    if limiter.exceeded(address):
        return _render_form(office, procedure, form, 429, _l(
            "Ya se pidieron varias citas desde su conexión en la última hora. Sus datos siguen aquí: "
            "espere un rato y confirme de nuevo."), checking=True)
    pin = new_pin()
    person = {"name": clean_text(form.nombre.data), "id_card": form.carne.data.strip(),
              "phone": clean_text(form.telefono.data), "email": clean_text(form.correo.data)}
    try:
        booked = store.book(office["slug"], procedure, day, clock, person, hash_pin(pin), str(get_locale()))
    except store.AlreadyBooked as refusal:
        existing = refusal.existing
        return _render_form(office, procedure, form, 409, _l(
            "Ya tiene una cita para este trámite el %(when)s. Para otra hora, cambie esa cita con su código y PIN "
            "en Seguimiento; solo se puede tener una cita activa por trámite.",
            when=when_in_words(parse_day(existing["day"]), existing["time"])), checking=True)
    except (store.SlotFull, store.NotBookable):
        alternatives = free_places.next_free(office, count=NEXT_TIMES_OFFERED, skip=(day, clock))
        return _render_form(office, procedure, form, 409, _l(
            "Lo sentimos: mientras confirmaba, otra persona tomó la última plaza de esa hora. Sus datos siguen "
            "aquí: elija otra hora libre y continúe."), alternatives=alternatives)
    limiter.hit(address)
    receipts = dict(session.get("receipts") or {})
    receipts[booked["id"]] = seal(pin)
    session["receipts"] = dict(list(receipts.items())[-RECEIPTS_KEPT:])
    return redirect(url_for("services.appointment", code=booked["id"]), 303)


def _pretend_booked(office, procedure, day, clock):
    """What a bot that filled the hidden field sees: a receipt like any other, for an appointment not kept."""
    from ..store.codes import new_code
    fake = {"id": new_code(), "office": office["slug"], "procedure": procedure, "day": day.isoformat(),
            "time": clock, "status": "booked", "name": "", "email": ""}
    html = render_template("appointments/appointment.html", appointment=fake, office=office,
                           pin=f"{secrets.randbelow(10 ** 6):06d}", active=False, just_booked=True)
    return html, 200, {"Cache-Control": "no-store"}


@bp.app_template_global("office_hours")
def office_hours(office):
    """[(weekday, periods)] of an office's weekly opening hours, in the visitor's language."""
    return opening_hours(office)
