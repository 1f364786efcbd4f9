"""The forms of the offices that take appointments, and how their answers become an office document.

Every rule lives in the store (store/office_rules.py); the forms only read what was typed, and the problems
the store finds are put beside the inputs they are about, in the webmaster's language.
"""
import re

from flask import g
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from ..fieldmessages import NOT_A_WHOLE_NUMBER
from ..problems import in_panel_language
from ..store import content
from ..store.office_rules import WEEKDAYS
from ..store.offices import DEFAULTS
from ..store.site import localized

PERIODS_A_DAY = 2
# A short hour typed by hand ("8:30") is taken as the two-digit hour the store keeps ("08:30").
SHORT_HOUR = re.compile(r"^\d:[0-5]\d$")


class Marked:
    """Marks a field as required beside its label; the store says what is missing."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        """Nothing to check here."""


def _number(label):
    return IntegerField(label, validators=[Marked()], invalid_value_message=NOT_A_WHOLE_NUMBER)


def _time(label):
    return StringField(label, render_kw={"class": "time", "autocomplete": "off", "spellcheck": "false"})


def period_field(day, number, end):
    """The name of the input of one end of one period of a weekday: d1_1_inicio … d7_2_fin."""
    return f"d{day}_{number}_{'fin' if end else 'inicio'}"


class OfficeForm(FlaskForm):
    """An office: who, where, what it books and when it opens."""

    nombre_es = StringField(_l("Nombre (español)"), validators=[Marked()])
    nombre_en = StringField(_l("Nombre (English)"))
    entidad = SelectField(_l("Entidad"), validate_choice=False)
    municipio = SelectField(_l("Municipio"), validators=[Marked()], validate_choice=False)
    direccion = StringField(_l("Dirección"), validators=[Marked()])
    traer_es = TextAreaField(_l("Qué traer (español)"), render_kw={"rows": 3})
    traer_en = TextAreaField(_l("Qué traer (English)"), render_kw={"rows": 3})
    tramites = SelectMultipleField(_l("Trámites que se pueden reservar aquí"), validate_choice=False)
    duracion = _number(_l("Duración de cada cita, en minutos (de 5 a 240)"))
    puestos = _number(_l("Puestos: citas a la misma hora (de 1 a 50)"))
    desde_dias = _number(_l("Se puede reservar desde dentro de cuántos días (0 = hoy)"))
    hasta_dias = _number(_l("Hasta dentro de cuántos días (como mucho 366)"))
    corte_horas = _number(_l("No se reserva con menos de estas horas de antelación (de 0 a 720)"))
    activa = BooleanField(_l("Da citas: los ciudadanos pueden reservar en esta oficina"))


for _day in WEEKDAYS:
    for _number_of_period in range(1, PERIODS_A_DAY + 1):
        setattr(OfficeForm, period_field(_day, _number_of_period, False), _time(_l("Desde")))
        setattr(OfficeForm, period_field(_day, _number_of_period, True), _time(_l("Hasta")))


class ExceptionForm(FlaskForm):
    """One day unlike the weekly schedule: closed, or other hours and/or fewer places."""

    fecha = StringField(_l("Fecha"), validators=[Marked()], render_kw={"type": "date"})
    cerrado = BooleanField(_l("Cerrado ese día"))
    inicio_1 = _time(_l("Desde"))
    fin_1 = _time(_l("Hasta"))
    inicio_2 = _time(_l("Desde"))
    fin_2 = _time(_l("Hasta"))
    puestos = IntegerField(_l("Puestos ese día (opcional)"), validators=[Optional()],
                           invalid_value_message=NOT_A_WHOLE_NUMBER)
    nota_es = StringField(_l("Nota (español), por ejemplo «Día feriado»"))
    nota_en = StringField(_l("Nota (English)"))


def live_procedures():
    """(procedures not in the trash by title, {old slug: current slug})."""
    procedures = [document for document in content.all_documents("procedures") if not document.get("deleted")]
    language = str(get_locale())
    procedures.sort(key=lambda document: localized(document.get("title"), language).casefold())
    moved = {old: document["slug"] for document in procedures for old in document.get("old_slugs", [])}
    return procedures, moved


def known_references():
    """What an office may name: {"procedures", "entities", "municipalities": slugs}."""
    procedures, moved = live_procedures()
    entities = [document for document in content.all_documents("entities") if not document.get("deleted")]
    return {"procedures": {document.get("slug") for document in procedures} | set(moved),
            "entities": {document.get("slug") for document in entities},
            "municipalities": {municipality["slug"] for municipality in g.site.get("municipalities", [])}}


def fill_choices(form):
    """The entities, municipalities and procedures to choose from, in the webmaster's language."""
    language = str(get_locale())
    entities = sorted((document for document in content.all_documents("entities") if not document.get("deleted")),
                      key=lambda document: localized(document.get("name"), language).casefold())
    form.entidad.choices = [SelectChoice("", _l("(ninguna)"))] + [
        SelectChoice(entity["slug"], localized(entity.get("name"), language)) for entity in entities]
    form.municipio.choices = [SelectChoice("", _l("Elija un municipio"))] + [
        SelectChoice(municipality["slug"], municipality["name"]) for municipality in g.site.get("municipalities", [])]
    form.tramites.choices = [SelectChoice(procedure["slug"], localized(procedure.get("title"), language))
                             for procedure in live_procedures()[0]]


def office_values(office):
    """The form's values for a stored office (a renamed procedure shows under its current slug)."""
    moved = live_procedures()[1]
    values = {
        "nombre_es": office["name"].get("es", ""), "nombre_en": office["name"].get("en", ""),
        "entidad": office["entity"], "municipio": office["municipality"], "direccion": office["address"],
        "traer_es": office["bring"].get("es", ""), "traer_en": office["bring"].get("en", ""),
        "tramites": [moved.get(slug, slug) for slug in office["procedures"]],
        "duracion": office["slot_minutes"], "puestos": office["places"], "desde_dias": office["book_from_days"],
        "hasta_dias": office["book_until_days"], "corte_horas": office["cutoff_hours"], "activa": office["active"],
    }
    for day in WEEKDAYS:
        for index, (start, end) in enumerate(office["weekly"].get(day, [])[:PERIODS_A_DAY]):
            values[period_field(day, index + 1, False)] = start
            values[period_field(day, index + 1, True)] = end
    return values


def new_office_values():
    """A new office starts with the store's defaults and opens no day until the webmaster says so."""
    return office_values(dict(DEFAULTS, name={"es": "", "en": ""}, bring={"es": "", "en": ""}))


def _text(field):
    return (field.data or "").strip()


def _hour(text):
    return "0" + text if SHORT_HOUR.match(text) else text


def _periods(form, names, fields_of_periods, where):
    """[[start, end]] of the periods typed in; fields_of_periods receives where each one's problems go."""
    periods = []
    for start_name, end_name in names:
        start, end = _hour(_text(form[start_name])), _hour(_text(form[end_name]))
        if start or end:
            fields_of_periods[f"{where}.{len(periods)}"] = start_name if start or not end else end_name
            periods.append([start, end])
    return periods


def office_from(form):
    """(office fields for the store, {place in the document: form field}) from a submitted OfficeForm."""
    moved = live_procedures()[1]
    fields = {"name": "nombre_es", "address": "direccion", "bring": "traer_es", "procedures": "tramites",
              "slot_minutes": "duracion", "places": "puestos", "book_from_days": "desde_dias",
              "book_until_days": "hasta_dias", "cutoff_hours": "corte_horas", "municipality": "municipio",
              "entity": "entidad", "active": "activa", "exceptions": "duracion", "weekly": period_field("1", 1, False)}
    weekly = {}
    for day in WEEKDAYS:
        fields[f"weekly.{day}"] = period_field(day, 1, False)
        names = [(period_field(day, number, False), period_field(day, number, True))
                 for number in range(1, PERIODS_A_DAY + 1)]
        periods = _periods(form, names, fields, f"weekly.{day}")
        if periods:
            weekly[day] = periods
    chosen = []
    for slug in form.tramites.data or []:
        slug = moved.get(slug, slug)
        if slug not in chosen:
            chosen.append(slug)
    office = {
        "name": {"es": _text(form.nombre_es), "en": _text(form.nombre_en)},
        "entity": form.entidad.data or "", "municipality": form.municipio.data or "", "address": _text(form.direccion),
        "bring": {"es": _text(form.traer_es), "en": _text(form.traer_en)}, "procedures": chosen,
        "slot_minutes": form.duracion.data, "places": form.puestos.data, "book_from_days": form.desde_dias.data,
        "book_until_days": form.hasta_dias.data, "cutoff_hours": form.corte_horas.data, "active": bool(form.activa.data),
        "weekly": weekly,
    }
    return office, fields


def exception_from(form):
    """(an exception for the store, {place in the document: form field}) from a submitted ExceptionForm."""
    day = _text(form.fecha)
    fields = {"exceptions": "fecha", "exceptions.date": "fecha", f"exceptions.{day}.date": "fecha",
              f"exceptions.{day}.closed": "cerrado", f"exceptions.{day}.hours": "inicio_1",
              f"exceptions.{day}.places": "puestos", f"exceptions.{day}.note": "nota_es"}
    exception = {"date": day, "note": {"es": _text(form.nota_es), "en": _text(form.nota_en)}}
    if form.cerrado.data:
        exception["closed"] = True
        return exception, fields
    periods = _periods(form, [("inicio_1", "fin_1"), ("inicio_2", "fin_2")], fields, f"exceptions.{day}.hours")
    if periods:
        exception["hours"] = periods
    if form.puestos.data is not None:
        exception["places"] = form.puestos.data
    return exception, fields


def place_problems(form, problems, fields):
    """Put each store problem beside its input (the longest known place that contains it); a field that already
    says what is wrong with it (a number that is not a number) keeps only that."""
    already = {name for name, field in form._fields.items() if field.errors}
    for problem in problems:
        place = problem.field
        while place not in fields and "." in place:
            place = place.rsplit(".", 1)[0]
        name = fields.get(place, next(iter(fields.values())))
        if name in already:
            continue
        message = in_panel_language(problem)
        if message not in form[name].errors:
            form[name].errors = list(form[name].errors) + [message]
