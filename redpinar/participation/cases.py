"""Turning a citizen's form into a submission, and the PIN and timing that protect it."""
import re
import secrets
import time

from flask import current_app
from itsdangerous import BadSignature, Signer, URLSafeSerializer
from werkzeug.security import check_password_hash, generate_password_hash

from ..store.db import utc_now
from .deadlines import first_due_date, forward_by

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A PIN guards one message; a lighter scrypt keeps a burst of submissions fast on a small server.
PIN_HASH_METHOD = "scrypt:4096:8:1"


def clean_text(text):
    """Text as typed, without control characters (newlines and tabs stay)."""
    return CONTROL_CHARACTERS.sub("", text or "").replace("\r\n", "\n").strip()


def new_pin():
    """A six-digit PIN."""
    return f"{secrets.randbelow(10 ** 6):06d}"


def hash_pin(pin):
    """The PIN as a slow hash: the PIN itself is never stored."""
    return generate_password_hash(pin, method=PIN_HASH_METHOD)


def pin_matches(stored_hash, pin):
    """True when the typed PIN is the one that was given."""
    return bool(stored_hash) and check_password_hash(stored_hash, (pin or "").strip())


def form_fields(form):
    """The citizen's answers, cleaned, as stored in a submission or a draft."""
    return {
        "type": form.tipo.data or "",
        "topic": form.tema.data or "",
        "entity": form.entidad.data or "",
        "municipality": form.municipio.data or "",
        "subject": clean_text(form.asunto.data),
        "message": clean_text(form.mensaje.data),
        "name": clean_text(form.nombre.data),
        "answer_by": form.respuesta.data or "codigo",
        "email": clean_text(form.correo.data),
        "phone": clean_text(form.telefono.data),
        "confidential": bool(form.confidencial.data),
        "publish_consent": bool(form.publicar.data),
    }


def new_submission(fields, site, received_today, language, pin):
    """The document of a new submission: the citizen's fields plus its clock and history."""
    due = first_due_date(received_today, site)
    return dict(
        fields,
        status="received",
        due=due.isoformat(),
        forward_by=forward_by(received_today, site).isoformat(),
        language=language,
        pin_hash=hash_pin(pin),
        history=[{"status": "received", "at": utc_now(), "note": ""}],
        channel=fields.get("channel") or "web",
    )


def _serializer():
    return URLSafeSerializer(current_app.secret_key, salt="form-started")


def start_token(started=None):
    """A signed note of when the form was first shown (bots submit faster than people read)."""
    return _serializer().dumps(round(time.time() if started is None else started, 3))


def form_started(token):
    """When the form was first shown (seconds since the epoch), or None when the token is missing or forged."""
    try:
        started = _serializer().loads(token or "")
    except BadSignature:
        return None
    return started if isinstance(started, (int, float)) and not isinstance(started, bool) else None


def seconds_since_start(token):
    """Seconds since the form was first shown, or None when the token is missing or forged."""
    started = form_started(token)
    return None if started is None else time.time() - started


def _draft_signer():
    return Signer(current_app.secret_key, salt="draft-resumed")


def resumed_draft_token(code):
    """What the form carries of the draft it was resumed from: the code, signed."""
    return _draft_signer().sign(code).decode("ascii")


def resumed_draft_code(token):
    """The code of the draft a form was resumed from, or None when the token is missing or forged."""
    try:
        return _draft_signer().unsign(token or "").decode("ascii")
    except (BadSignature, UnicodeError):
        return None


def _offered(field):
    return {str(choice[0]) for choice in field.iter_choices()}


def draft_fields(form):
    """The answers of a half-written form as a draft keeps them: choices checked, texts cleaned.

    A choice the form does not offer (a forged one, or a topic removed since) is left empty.
    """
    fields = form_fields(form)
    for name, field in (("type", form.tipo), ("topic", form.tema), ("entity", form.entidad),
                        ("municipality", form.municipio), ("answer_by", form.respuesta)):
        if fields[name] and fields[name] not in _offered(field):
            fields[name] = "codigo" if name == "answer_by" else ""
    return fields


def keep_only_length_errors(form, limits):
    """Clear every error but 'too long' ones; returns True when a text is over its limit.

    A draft may be half-written, so only the limits that bound what is stored apply.
    """
    too_long = False
    for field in form:
        limit = limits.get(field.name)
        if limit is not None and len(clean_text(field.data)) > limit:
            too_long = True
        else:
            field.errors = []
    form.form_errors = []
    return too_long
