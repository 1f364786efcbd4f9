"""Building the edit form of each kind of content from its schema."""
import re

from flask import g
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields import DateField, DateTimeLocalField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError

from ..fieldmessages import NOT_A_DATE, NOT_A_DATE_AND_TIME
from ..store import catalogue, content
from ..store.references import dangling, references_of, rename_in
from ..store.request_forms import has_published_form
from ..store.site import localized
from ..text import is_safe_link
from .schemas import SCHEMAS, link_lines

LONG_LOCALIZED = ("summary", "description", "hours")
MOST_DAYS = 366  # a procedure that takes longer than a year is not resolved on a clock
CATEGORIES = [SelectChoice("", _l("Elija una categoría")), SelectChoice("sports", _l("Deportes")), SelectChoice("culture", _l("Cultura")),
              SelectChoice("entertainment", _l("Recreación"))]


def _required(required, label):
    return [InputRequired(_l("Complete «%(field)s».", field=label))] if required else [Optional()]


def _safe_links(_form, field):
    """Each line's address opens a web page or a file of the portal, and runs nothing."""
    for title, url in link_lines(field.data):
        if not url:
            raise ValidationError(_l("Falta la dirección de «%(title)s»: escriba «título | dirección».", title=title))
        if not is_safe_link(url):
            raise ValidationError(_l(
                "La dirección «%(url)s» no se acepta: use una dirección web que empiece por https:// (o http://) "
                "o una ruta del portal que empiece por una sola /, como /medios/solicitud.pdf.", url=url))


def _whole_days(_form, field):
    """A number of days the clock of a request can run: 1 to MOST_DAYS, digits only."""
    raw = (field.data or "").strip()
    if raw and not (re.fullmatch(r"\d{1,4}", raw, re.ASCII) and 1 <= int(raw) <= MOST_DAYS):
        raise ValidationError(_l("Escriba un número entero de días, entre 1 y %(most)d.", most=MOST_DAYS))


def form_class(collection):
    """A FlaskForm class with one field (or two, one per language) for each schema field."""
    attributes = {
        "slug": StringField(_l("Dirección (slug)"), validators=[Optional(), Length(max=100), Regexp(
            r"^[a-z0-9-]*$", message=_l("Solo letras minúsculas sin tildes, números y guiones."))]),
        "draft": BooleanField(_l("Borrador: guardarlo sin publicarlo")),
        "publish_at": DateTimeLocalField(_l("Publicar a partir de (opcional)"), validators=[Optional()],
                                         format="%Y-%m-%dT%H:%M", invalid_value_message=NOT_A_DATE_AND_TIME),
        "version": HiddenField(),
    }
    for name, kind, label, required in SCHEMAS[collection]:
        if kind == "localized":
            field = TextAreaField if name in LONG_LOCALIZED else StringField
            in_spanish = _l("%(label)s (en español)", label=label)
            attributes[name + "_es"] = field(in_spanish, validators=_required(required, in_spanish),
                                             render_kw={"rows": 3} if field is TextAreaField else None)
            attributes[name + "_en"] = field(_l("%(label)s (en inglés)", label=label), validators=[Optional()],
                                             render_kw={"rows": 3} if field is TextAreaField else None)
        elif kind in ("textarea", "markdown", "lines", "offices", "links", "guide_steps"):
            checks = [_safe_links] if kind == "links" else []
            attributes[name] = TextAreaField(label,
                                             validators=_required(required, label) + [Length(max=50000)] + checks,
                                             render_kw={"rows": 12 if kind == "markdown" else 6})
        elif kind == "number":
            attributes[name] = StringField(label, validators=_required(required, label) + [
                Regexp(r"^-?\d*$", message=_l("Escriba un número entero."))])
        elif kind == "count":
            attributes[name] = StringField(label, validators=_required(required, label) + [
                Regexp(r"^\s*\d{0,9}\s*$", message=_l("Escriba un número entero, 0 o mayor."))])
        elif kind == "days":
            attributes[name] = StringField(label, validators=_required(required, label) + [_whole_days])
        elif kind == "money":
            attributes[name] = StringField(label, validators=_required(required, label) + [
                Regexp(r"^\s*\d{1,9}([.,]\d{1,2})?\s*$",
                       message=_l("Escriba un importe de 0 o más, con dos decimales como mucho: 25, 25,50 o 25.50."))])
        elif kind == "date":
            attributes[name] = DateField(label, validators=_required(required, label), invalid_value_message=NOT_A_DATE)
        elif kind == "datetime":
            attributes[name] = DateTimeLocalField(label, validators=_required(required, label), format="%Y-%m-%dT%H:%M",
                                                  invalid_value_message=NOT_A_DATE_AND_TIME)
        elif kind == "bool":
            attributes[name] = BooleanField(label)
        elif kind in ("topic", "entity", "municipality", "category"):
            attributes[name] = SelectField(label, validators=_required(required, label), validate_choice=False)
        else:
            attributes[name] = StringField(label, validators=_required(required, label) + [Length(max=500)])
    return type(f"{collection.title()}Form", (FlaskForm,), attributes)


def fill_choices(form, collection):
    """The choices of the select fields, in the webmaster's language."""
    language = str(get_locale())
    empty = [SelectChoice("", _l("(ninguno)"))]
    choices = {
        "topic": empty + [SelectChoice(topic["slug"], localized(topic.get("name"), language))
                          for topic in catalogue.topics()],
        "entity": empty + [SelectChoice(entity["slug"], entity.get("name", ""))
                           for entity in catalogue.documents("entities")],
        "municipality": empty + [SelectChoice(municipality["slug"], municipality["name"])
                                 for municipality in g.site.get("municipalities", [])],
        "category": CATEGORIES,
    }
    for name, kind, _label, _required in SCHEMAS[collection]:
        if kind in choices:
            form[name].choices = choices[kind]


def form_values(form, collection):
    """The submitted values as strings, the way schemas.to_document reads them."""
    values = {}
    for field in form:
        data = field.data
        if hasattr(data, "isoformat"):
            data = data.isoformat(timespec="minutes") if hasattr(data, "hour") else data.isoformat()
        values[field.name] = data
    return values


MISSING = {
    "topics": _l("No hay ningún tema con esta dirección (slug): %(slugs)s."),
    "entities": _l("No hay ninguna entidad con esta dirección (slug): %(slugs)s."),
    "procedures": _l("No hay ningún trámite con esta dirección (slug): %(slugs)s."),
    "municipalities": _l("No hay ningún municipio con esta dirección (slug): %(slugs)s. "
                         "Los municipios de la provincia se definen en los ajustes."),
}


def _existing():
    """({target: slugs in use}, {target: {old slug: current slug}}) of what a reference may name."""
    known = {"municipalities": {municipality["slug"] for municipality in g.site.get("municipalities", [])}}
    moved = {"municipalities": {}}
    for target in ("topics", "entities", "procedures"):
        documents = [document for document in content.all_documents(target) if not document.get("deleted")]
        known[target] = {document.get("slug") for document in documents}
        moved[target] = {old: document.get("slug") for document in documents for old in document.get("old_slugs", [])}
    return known, moved


def refuse_missing_references(form, collection, document):
    """Put a message on each field naming what does not exist; True when every reference exists.

    A slug a document had before a rename (a form opened before it) is taken as its new one.
    """
    known, moved = _existing()
    for _field, target, slug in references_of(collection, document):
        if slug in moved.get(target, {}) and slug not in known[target]:
            rename_in(collection, document, target, slug, moved[target][slug])
    missing = dangling(collection, document, known)
    for field, (target, slugs) in missing.items():
        form[field].errors = list(form[field].errors) + [MISSING[target] % {"slugs": ", ".join(slugs)}]
    return not missing


def refuse_online_without_form(form, collection, document, current=None):
    """Put a message on «online» when a procedure would take requests without a published form; True when fine."""
    if collection != "procedures" or not document.get("online"):
        return True
    earlier = [*current.get("old_slugs", []), current.get("slug", "")] if current else []
    if has_published_form({"slug": document.get("slug", ""), "old_slugs": earlier}):
        return True
    form.online.errors = list(form.online.errors) + [_l(
        "Para que se pueda solicitar en línea, este trámite necesita un formulario publicado: guarde la ficha "
        "sin esta casilla, cree el formulario desde «Formulario en línea» y publíquelo.")]
    return False
