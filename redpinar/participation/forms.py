"""The forms a citizen fills in to write to the government and to follow the answer."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, Regexp

# type -> (name, what it is for, what happens next)
SUBMISSION_TYPES = {
    "queja": (_l("Queja"), _l("Algo se hizo mal o no se hizo: un servicio, un trato, un plazo incumplido."),
              _l("La entidad responsable la investiga y le responde.")),
    "peticion": (_l("Petición"), _l("Pide algo a una entidad: un servicio, una información, una solución."),
                 _l("La entidad competente la estudia y le responde si es posible y cómo.")),
    "denuncia": (_l("Denuncia"), _l("Informa de una ilegalidad o de un hecho que perjudica a otros."),
                 _l("Se comprueba con reserva; sus datos no se comunican a los denunciados.")),
    "sugerencia": (_l("Sugerencia"), _l("Propone una mejora de un servicio o de una norma."),
                   _l("Se estudia y se le dice qué se hará con ella.")),
    "opinion": (_l("Opinión"), _l("Da su parecer sobre una medida o un servicio."),
                _l("Se tiene en cuenta y se cuenta en las estadísticas públicas.")),
    "pregunta": (_l("Pregunta"), _l("Quiere saber algo que no encuentra en el portal."),
                 _l("Le responden; con su permiso, la respuesta se publica sin sus datos.")),
}
ANSWER_CHANNELS = [
    SelectChoice("correo", _l("Por correo electrónico")),
    SelectChoice("telefono", _l("Por teléfono")),
    SelectChoice("codigo", _l("Lo consultaré yo con mi código")),
]
UNKNOWN_ENTITY = "no-se"
# The longest text each field takes, in a message and in a draft alike.
TEXT_LIMITS = {"asunto": 150, "mensaje": 10000, "nombre": 120, "correo": 200, "telefono": 20}
REPLY_LIMIT = 5000


class SubmissionForm(FlaskForm):
    """A suggestion, request, complaint, report, opinion or question."""

    tipo = RadioField(_l("¿Qué quiere enviar?"), choices=[SelectChoice(key, value[0]) for key, value in SUBMISSION_TYPES.items()],
                      validators=[InputRequired(_l("Elija qué quiere enviar."))])
    tema = SelectField(_l("Tema"), validators=[InputRequired(_l("Elija el tema."))])
    entidad = SelectField(_l("Entidad a la que se dirige"), default=UNKNOWN_ENTITY)
    municipio = SelectField(_l("Municipio"), validators=[InputRequired(_l("Elija su municipio."))])
    asunto = StringField(_l("Asunto"), validators=[
        InputRequired(_l("Escriba el asunto en pocas palabras.")),
        Length(min=3, max=TEXT_LIMITS["asunto"], message=_l("El asunto debe tener entre 3 y 150 caracteres.")),
    ])
    mensaje = TextAreaField(_l("Mensaje"), validators=[
        InputRequired(_l("Escriba su mensaje.")),
        Length(min=10, max=TEXT_LIMITS["mensaje"], message=_l("El mensaje debe tener entre 10 y 10 000 caracteres.")),
    ])
    nombre = StringField(_l("Nombre y apellidos"), validators=[
        Optional(), Length(max=TEXT_LIMITS["nombre"], message=_l("El nombre no puede pasar de 120 caracteres.")),
    ])
    respuesta = RadioField(_l("¿Cómo quiere recibir la respuesta?"), choices=ANSWER_CHANNELS, default="codigo",
                           validators=[InputRequired(_l("Elija cómo quiere recibir la respuesta."))])
    correo = StringField(_l("Correo electrónico"), validators=[
        Optional(), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                           message=_l("Escriba un correo válido, por ejemplo nombre@ejemplo.cu.")),
        Length(max=TEXT_LIMITS["correo"], message=_l("El correo no puede pasar de 200 caracteres.")),
    ])
    telefono = StringField(_l("Teléfono"), validators=[
        Optional(), Regexp(r"^[0-9 +()-]{6,20}$", message=_l("Escriba el teléfono solo con números, por ejemplo 48 123456.")),
    ])
    confidencial = BooleanField(_l("Pido que mis datos personales se traten con reserva"))
    publicar = BooleanField(_l("Acepto que la pregunta y la respuesta se publiquen sin mis datos personales"))
    # Machinery: a field people never see (bots fill it) and a signed start time.
    website = StringField(_l("Deje este campo vacío"))
    iniciado = HiddenField()
    borrador = HiddenField()

    def validate(self, extra_validators=None):
        """Field checks, then what one field needs from another (Optional() stops inline validators)."""
        valid = super().validate(extra_validators)
        needed = [
            (self.nombre, self.tipo.data != "denuncia", _l("Escriba su nombre (solo en una denuncia puede omitirlo).")),
            (self.correo, self.respuesta.data == "correo", _l("Escriba su correo para recibir la respuesta por correo.")),
            (self.telefono, self.respuesta.data == "telefono", _l("Escriba su teléfono para recibir la respuesta por teléfono.")),
        ]
        for field, required, message in needed:
            if required and not (field.data or "").strip() and not field.errors:
                field.errors = list(field.errors) + [message]
                valid = False
        return valid


class CodeAndPinForm(FlaskForm):
    """A tracking code with its PIN (to follow a submission or reopen a draft)."""

    codigo = StringField(_l("Código de seguimiento"), validators=[
        InputRequired(_l("Escriba el código que recibió, por ejemplo K7X9-P2MQ.")),
        Length(max=20, message=_l("El código tiene 8 letras y números.")),
    ])
    pin = PasswordField(_l("PIN"), validators=[
        InputRequired(_l("Escriba el PIN de 6 cifras.")),
        Length(max=12, message=_l("El PIN tiene 6 cifras.")),
    ])


class ReplyForm(FlaskForm):
    """The citizen adds to their submission, or reopens it after an answer."""

    texto = TextAreaField(_l("Su respuesta"), validators=[
        InputRequired(_l("Escriba su respuesta.")),
        Length(min=2, max=REPLY_LIMIT, message=_l("La respuesta debe tener entre 2 y 5000 caracteres.")),
    ])


class FeedbackForm(FlaskForm):
    """Did the answer solve it?"""

    resuelto = RadioField(_l("¿La respuesta resolvió su caso?"), choices=[SelectChoice("si", _l("Sí")), SelectChoice("no", _l("No"))],
                          validators=[InputRequired(_l("Elija sí o no."))])


class EraseForm(FlaskForm):
    """The confirmation page's button: only a post carrying confirmar=si erases."""

    confirmar = HiddenField()


STATUS_NAMES = {
    "received": _l("Recibido"),
    "forwarded": _l("Enviado a la entidad competente"),
    "in_progress": _l("En trámite"),
    "extended": _l("Plazo prorrogado"),
    "answered": _l("Respondido"),
    "closed": _l("Cerrado"),
    "reopened": _l("Reabierto por el ciudadano"),
    "erased": _l("Datos personales borrados a petición"),
    "spam": _l("Descartado"),
    "merged": _l("Unido a otro mensaje"),
    "withdrawn": _l("Retirado por el ciudadano"),
}
