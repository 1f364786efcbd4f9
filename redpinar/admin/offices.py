"""Offices that take appointments: the list, the office form with its weekly schedule, and its exceptions."""
from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import format_date, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..security import client_address
from ..store import NotFound, audit
from ..store.office_rules import (WEEKDAY_NAMES, WEEKDAYS, InvalidOffice, office_problems, real_day,
                                  reference_problems)
from ..store.offices import add_exception, create_office, get_office, list_offices, remove_exception, update_office
from ..store.site import localized
from . import bp
from .forms import EmptyForm
from .office_upkeep import appointments_to_settle, warn_if_unsettled
from .office_forms import (PERIODS_A_DAY, ExceptionForm, OfficeForm, exception_from, fill_choices, known_references,
                           live_procedures, new_office_values, office_from, office_values, period_field,
                           place_problems)


def day_words(iso_day):
    """'2026-12-25' as the panel's language writes a day: 'viernes, 25 de diciembre de 2026'."""
    return format_date(date.fromisoformat(iso_day), "full")


def _office_or_404(slug):
    try:
        return get_office(slug)
    except NotFound:
        abort(404)


def _names():
    """{("procedure", slug): title} of the procedures, by their current and earlier slugs."""
    language = str(get_locale())
    names = {}
    for procedure in live_procedures()[0]:
        for slug in [procedure["slug"], *procedure.get("old_slugs", [])]:
            names[("procedure", slug)] = localized(procedure.get("title"), language)
    return names


@bp.route("/oficinas/")
@login_required
def offices():
    """Every office that takes appointments: name, municipality, procedures, whether it books now."""
    municipalities = {municipality["slug"]: municipality["name"] for municipality in g.site.get("municipalities", [])}
    return render_template("admin/offices.html", offices=list_offices(), names=_names(),
                           municipalities=municipalities)


def _render_office(form, office=None, exception_form=None, status=200):
    return render_template("admin/office_edit.html", form=form, office=office,
                           exception_form=exception_form or ExceptionForm(prefix="excepcion"),
                           weekdays=[(day, WEEKDAY_NAMES[day]) for day in WEEKDAYS], periods=range(1, PERIODS_A_DAY + 1),
                           period_field=period_field, names=_names(), day_words=day_words,
                           to_settle=appointments_to_settle(office) if office else []), status


def _saved_office(form, slug=None):
    """Check the form and save the office; the stored office, or None with every problem beside its input."""
    valid = form.validate()
    office, fields = office_from(form)
    problems = reference_problems(office, known_references())
    if not valid or problems:
        # Nothing is saved, but the store's own checks run too, so every problem shows at once.
        place_problems(form, problems + office_problems(dict(office, exceptions=[])), fields)
        return None
    try:
        return create_office(office) if slug is None else update_office(slug, office)[1]
    except InvalidOffice as refusal:
        place_problems(form, refusal.problems, fields)
        return None


@bp.route("/oficinas/nueva", methods=["GET", "POST"])
@login_required
def office_new():
    """A new office: its address in /citas/ comes from its Spanish name."""
    form = OfficeForm(data=new_office_values() if request.method == "GET" else None)
    fill_choices(form)
    if request.method == "POST":
        saved = _saved_office(form)
        if saved is not None:
            audit.record(current_user.username, "office-create", target=saved["slug"], title=saved["name"]["es"],
                         address=client_address())
            flash(_l("Oficina creada."), "ok")
            return redirect(url_for("admin.office_edit", slug=saved["slug"]), 303)
        return _render_office(form, status=400)
    return _render_office(form)


@bp.route("/oficinas/<slug>/", methods=["GET", "POST"])
@login_required
def office_edit(slug):
    """The office's form, its exceptions, and the form to add one."""
    office = _office_or_404(slug)
    form = OfficeForm(data=office_values(office) if request.method == "GET" else None)
    fill_choices(form)
    if request.method == "POST":
        saved = _saved_office(form, slug)
        if saved is not None:
            audit.record(current_user.username, "office-save", target=slug, title=saved["name"]["es"],
                         address=client_address())
            flash(_l("Oficina guardada."), "ok")
            warn_if_unsettled(saved)
            return redirect(url_for("admin.office_edit", slug=slug), 303)
        return _render_office(form, office, status=400)
    return _render_office(form, office)


@bp.route("/oficinas/<slug>/excepciones", methods=["POST"])
@login_required
def office_exception_add(slug):
    """Add a closed day, or a day with other hours and/or fewer places."""
    office = _office_or_404(slug)
    exception_form = ExceptionForm(prefix="excepcion")
    valid = exception_form.validate()
    exception, fields = exception_from(exception_form)
    if valid:
        try:
            office = add_exception(slug, exception)
        except InvalidOffice as refusal:
            place_problems(exception_form, refusal.problems, fields)
        else:
            audit.record(current_user.username, "office-exception-add", target=slug, title=office["name"]["es"],
                         facts={"day": exception["date"]}, address=client_address())
            flash(_l("Día distinto añadido."), "ok")
            warn_if_unsettled(office)
            return redirect(url_for("admin.office_edit", slug=slug, _anchor="excepciones"), 303)
    form = OfficeForm(formdata=None, data=office_values(office))
    fill_choices(form)
    return _render_office(form, office, exception_form, status=400)


@bp.route("/oficinas/<slug>/excepciones/<day>/quitar", methods=["GET", "POST"])
@login_required
def office_exception_remove(slug, day):
    """Ask first; then remove the exception of that day (the weekly schedule holds again)."""
    office = _office_or_404(slug)
    exception = next((kept for kept in office["exceptions"] if kept.get("date") == day), None) \
        if real_day(day) else None
    if exception is None:
        abort(404)
    form = EmptyForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            remove_exception(slug, day)
        except NotFound:
            abort(404)
        audit.record(current_user.username, "office-exception-remove", target=slug, title=office["name"]["es"],
                     facts={"day": day}, address=client_address())
        flash(_l("Día distinto quitado."), "ok")
        warn_if_unsettled(get_office(slug))
        return redirect(url_for("admin.office_edit", slug=slug, _anchor="excepciones"), 303)
    return render_template("admin/office_exception_remove.html", office=office, exception=exception, form=form,
                           day_words=day_words)
