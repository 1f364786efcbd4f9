"""The forms a citizen fills in to book, move and cancel an appointment."""
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError

TEXT_LIMITS = {"nombre": 120, "correo": 200, "telefono": 20}


def birth_date_of(card):
    """The date of birth an identity card number begins with (YYMMDD), or None when it is not a real date."""
    if not isinstance(card, str) or len(card) != 11 or not card.isdigit():
        return None
    year, month, day = int(card[:2]), int(card[2:4]), int(card[4:6])
    for century in (1900, 2000):
        try:
            return date(century + year, month, day)
        except ValueError:
            continue
    return None


def _real_birth_date(form, field):
    if birth_date_of((field.data or "").strip()) is None:
        raise ValidationError(_l("Las seis primeras cifras del carné deben ser una fecha de nacimiento real "
                                 "(año, mes y día: AAMMDD)."))


class AppointmentForm(FlaskForm):
    """Who comes to the appointment, and the time chosen."""

    nombre = StringField(_l("Nombre y apellidos"), validators=[
        InputRequired(_l("Escriba su nombre y apellidos.")),
        Length(min=2, max=TEXT_LIMITS["nombre"], message=_l("El nombre debe tener entre 2 y 120 caracteres.")),
    ])
    carne = StringField(_l("Número de carné de identidad"), validators=[
        InputRequired(_l("Escriba el número de su carné de identidad.")),
        Regexp(r"^\s*[0-9]{11}\s*$", message=_l("El carné de identidad tiene 11 cifras, sin espacios ni letras.")),
        _real_birth_date,
    ])
    telefono = StringField(_l("Teléfono (opcional)"), validators=[
        Optional(), Regexp(r"^[0-9 +()-]{6,20}$", message=_l("Escriba el teléfono solo con números, por ejemplo 48 123456.")),
    ])
    correo = StringField(_l("Correo electrónico (opcional)"), validators=[
        Optional(), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                           message=_l("Escriba un correo válido, por ejemplo nombre@ejemplo.cu.")),
        Length(max=TEXT_LIMITS["correo"], message=_l("El correo no puede pasar de 200 caracteres.")),
    ])
    # The time chosen: "YYYY-MM-DDTHH:MM" in the province's local time.
    hora = HiddenField()
    # Machinery: a field people never see (bots fill it) and a signed start time.
    website = StringField(_l("Deje este campo vacío"))
    iniciado = HiddenField()


class ChooseTimeForm(FlaskForm):
    """Another free time for an appointment (moving it)."""

    hora = RadioField(_l("Nueva hora"), validators=[InputRequired(_l("Elija una hora."))])


class ConfirmForm(FlaskForm):
    """A button that confirms a change (cancelling an appointment)."""

    confirmar = HiddenField()
