"""The form that adds or edits one question of a request form, and its checks."""
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from ..fieldmessages import NOT_A_CHOICE, NOT_A_WHOLE_NUMBER
from ..store.request_forms import QUESTION_TYPES

MEGABYTE = 1024 * 1024
LABEL_LENGTH = 500
HINT_LENGTH = 1000
OPTION_LENGTH = 200
FEWEST_OPTIONS, MOST_OPTIONS = 2, 30
DEFAULT_MAX_MB = 5
CHOICE_TYPES = ("choice", "choices")
TYPE_NAMES = {
    "short_text": _l("Texto corto"), "long_text": _l("Texto largo"), "number": _l("Número"), "date": _l("Fecha"),
    "choice": _l("Una opción de una lista"), "choices": _l("Varias opciones de una lista"),
    "yes_no": _l("Sí o no"), "id_card": _l("Número de carné de identidad"), "email": _l("Correo electrónico"),
    "phone": _l("Teléfono"), "address": _l("Dirección (municipio y calle)"),
    "file": _l("Archivo (PDF, JPEG o PNG)"), "declaration": _l("Declaración para marcar"),
}
assert set(TYPE_NAMES) == set(QUESTION_TYPES), "every question type has a name in the panel"


def _at_most(length):
    return Length(max=length, message=_l("Escriba como mucho %(max)d caracteres.", max=length))


def largest_file_mb():
    """The largest file limit a question may set: what one whole request to the portal may carry."""
    return max(1, int(current_app.config.get("MAX_CONTENT_LENGTH") or 8 * MEGABYTE) // MEGABYTE)


class QuestionForm(FlaskForm):
    """A question's wording in both languages and its settings (its type stays as it was made)."""

    texto_es = StringField(_l("Pregunta (en español)"), validators=[
        InputRequired(_l("Escriba la pregunta en español.")), _at_most(LABEL_LENGTH)])
    texto_en = StringField(_l("Pregunta (en inglés)"), validators=[Optional(), _at_most(LABEL_LENGTH)])
    ayuda_es = TextAreaField(_l("Ayuda (en español)"), validators=[Optional(), _at_most(HINT_LENGTH)],
                             render_kw={"rows": 2})
    ayuda_en = TextAreaField(_l("Ayuda (en inglés)"), validators=[Optional(), _at_most(HINT_LENGTH)],
                             render_kw={"rows": 2})
    obligatoria = BooleanField(_l("Obligatoria: no se puede enviar la solicitud sin responderla"))
    opciones = TextAreaField(_l("Opciones"), validators=[
        Optional(), _at_most(MOST_OPTIONS * (2 * OPTION_LENGTH + 5))], render_kw={"rows": 5})
    tamano = IntegerField(_l("Tamaño máximo del archivo, en MB"), validators=[Optional()],
                          invalid_value_message=NOT_A_WHOLE_NUMBER)


class NewQuestionForm(QuestionForm):
    """A new question: its type first."""

    tipo = SelectField(_l("Tipo de pregunta"), choices=[SelectChoice("", _l("Elija un tipo"))] + [
        SelectChoice(name, label) for name, label in TYPE_NAMES.items()],
                       validators=[InputRequired(_l("Elija el tipo de pregunta."))], invalid_choice_message=NOT_A_CHOICE)


def _clean(text):
    """Text as stored: no control characters (they would only break a printout), no outer spaces."""
    return "".join(character for character in (text or "") if character in "\n\t" or ord(character) >= 32).strip()


def _options(form):
    """The options of a choice question from 'español | inglés' lines; None (with a message) when refused."""
    options, seen = [], set()
    for line in (form.opciones.data or "").splitlines():
        if not line.strip():
            continue
        spanish, _, english = (_clean(part) for part in line.partition("|"))
        if not spanish:
            form.opciones.errors.append(_l("Cada opción necesita su texto en español, antes de la barra «|»."))
            return None
        if len(spanish) > OPTION_LENGTH or len(english) > OPTION_LENGTH:
            form.opciones.errors.append(_l("Cada opción puede tener como mucho %(max)d caracteres por idioma.",
                                           max=OPTION_LENGTH))
            return None
        if spanish.casefold() in seen:
            form.opciones.errors.append(_l("La opción «%(option)s» está repetida.", option=spanish))
            return None
        seen.add(spanish.casefold())
        options.append({"es": spanish, "en": english})
    if not FEWEST_OPTIONS <= len(options) <= MOST_OPTIONS:
        form.opciones.errors.append(_l("Escriba entre %(fewest)d y %(most)d opciones, una por línea.",
                                       fewest=FEWEST_OPTIONS, most=MOST_OPTIONS))
        return None
    return options


def question_from(form, question_type):
    """The stored fields of a question (without key) from a validated form, or None when a check failed."""
    question = {"type": question_type,
                "label": {"es": _clean(form.texto_es.data), "en": _clean(form.texto_en.data)},
                "hint": {"es": _clean(form.ayuda_es.data), "en": _clean(form.ayuda_en.data)},
                "required": bool(form.obligatoria.data)}
    refused = False
    if not question["label"]["es"] and not form.texto_es.errors:  # only spaces
        form.texto_es.errors.append(_l("Escriba la pregunta en español."))
        refused = True
    if question_type in CHOICE_TYPES:
        question["options"] = _options(form)
        refused = refused or question["options"] is None
    if question_type == "file":
        question["max_mb"] = _max_mb(form)
        refused = refused or question["max_mb"] is None
    return None if refused else question


def _max_mb(form):
    """The file limit of a file question, bounded by what one request may carry; None (with a message)."""
    largest = largest_file_mb()
    if form.tamano.errors:
        return None
    if form.tamano.data is None:
        form.tamano.errors.append(_l("Escriba el tamaño máximo del archivo, en MB."))
        return None
    if not 1 <= form.tamano.data <= largest:
        form.tamano.errors.append(_l("Escriba un tamaño entre 1 y %(largest)d MB: el portal no recibe envíos "
                                     "mayores.", largest=largest))
        return None
    return form.tamano.data


def form_data(question):
    """The form's values from a stored question (the reverse of question_from)."""
    return {"texto_es": question["label"].get("es", ""), "texto_en": question["label"].get("en", ""),
            "ayuda_es": (question.get("hint") or {}).get("es", ""), "ayuda_en": (question.get("hint") or {}).get("en", ""),
            "obligatoria": bool(question.get("required")), "tipo": question.get("type"),
            "opciones": "\n".join(f"{option.get('es', '')} | {option.get('en', '')}"
                                  for option in question.get("options") or []),
            "tamano": question.get("max_mb")}
