"""The forms of the inbox: one per action on a submission."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ..fieldmessages import NOT_A_CHOICE, NOT_A_WHOLE_NUMBER


class ForwardForm(FlaskForm):
    """Send to the competent entity."""

    entidad = SelectField(_l("Entidad competente"), validators=[InputRequired(_l("Complete «%(field)s».", field=_l("Entidad competente")))],
                          invalid_choice_message=NOT_A_CHOICE)


class StatusForm(FlaskForm):
    """Change to a plain status."""

    estado = SelectField(_l("Nuevo estado"), choices=[
        SelectChoice("in_progress", _l("En trámite")), SelectChoice("closed", _l("Cerrado"))],
        invalid_choice_message=NOT_A_CHOICE)


class ExtendForm(FlaskForm):
    """One extension of the time to answer, with its reason."""

    dias = IntegerField(_l("Días de prórroga"), default=30, validators=[
        InputRequired(_l("Escriba los días de prórroga.")), NumberRange(min=1, max=30, message=_l("Entre 1 y 30 días."))],
        invalid_value_message=NOT_A_WHOLE_NUMBER)
    motivo = TextAreaField(_l("Motivo"), validators=[
        InputRequired(_l("La prórroga necesita un motivo.")), Length(max=1000)])


class AnswerForm(FlaskForm):
    """The answer to the citizen (Markdown)."""

    respuesta = TextAreaField(_l("Respuesta"), validators=[
        InputRequired(_l("Escriba la respuesta.")), Length(max=20000)])


class NoteForm(FlaskForm):
    """An internal note."""

    nota = TextAreaField(_l("Nota interna"), validators=[InputRequired(_l("Escriba la nota.")), Length(max=5000)])


class MergeForm(FlaskForm):
    """Mark as a duplicate of another submission."""

    codigo = StringField(_l("Código del mensaje original"), validators=[InputRequired(_l("Complete «%(field)s».", field=_l("Código del mensaje original"))), Length(max=20)])


class FaqForm(FlaskForm):
    """Publish as a public question and answer, without personal data."""

    pregunta = TextAreaField(_l("Pregunta publicada"), validators=[InputRequired(_l("Complete «%(field)s».", field=_l("Pregunta publicada"))), Length(max=1000)])
    respuesta_publica = TextAreaField(_l("Respuesta publicada"), validators=[InputRequired(_l("Complete «%(field)s».", field=_l("Respuesta publicada"))), Length(max=20000)])
    revisado = BooleanField(_l("He leído la pregunta y la respuesta tal como se publicarán"), validators=[
        DataRequired(_l("Marque que leyó la pregunta y la respuesta antes de publicarlas."))])
    datos_revisados = BooleanField(_l("Revisé los posibles datos personales señalados: no identifican a nadie"))


class EmptyForm(FlaskForm):
    """An action that needs only the CSRF token."""
