"""Turning a citizen's form into a submission, and the PIN and timing that protect it."""
import re
import secrets
import time

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.security import check_password_hash, generate_password_hash

from ..store.db import utc_now
from .deadlines import first_due_date

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
        language=language,
        pin_hash=hash_pin(pin),
        history=[{"status": "received", "at": utc_now(), "note": ""}],
    )


def _serializer():
    return URLSafeSerializer(current_app.secret_key, salt="form-started")


def start_token():
    """A signed note of when the form was shown (bots submit faster than people read)."""
    return _serializer().dumps(int(time.time()))


def seconds_since_start(token):
    """Seconds since the form was shown, or None when the token is missing or forged."""
    try:
        started = _serializer().loads(token or "")
    except BadSignature:
        return None
    return time.time() - started if isinstance(started, int) else None
