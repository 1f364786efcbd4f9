"""Sending a message to the government: the form, drafts and the receipt."""
from datetime import datetime

from flask import current_app, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from ..limits import window
from ..mail import mail_enabled, notify_citizen
from .. import csrf
from ..security import client_address
from ..templating import province_zone
from ..store import NotFound, catalogue
from ..store.drafts import delete_draft, get_draft, save_draft
from ..store.site import localized
from ..store.submissions import get_submission, new_tracking_code, normalise_code, save_submission
from . import bp
from .cases import form_fields, hash_pin, new_pin, new_submission, pin_matches, seconds_since_start, start_token
from .forms import SUBMISSION_TYPES, UNKNOWN_ENTITY, CodeAndPinForm, SubmissionForm

SUBMISSIONS_PER_HOUR = 5
RECEIPTS_KEPT = 5


def _submission_form(**data):
    form = SubmissionForm(**data)
    language = str(get_locale())
    form.tema.choices = [("", _l("Elija un tema"))] + [
        (topic["slug"], localized(topic.get("name"), language)) for topic in catalogue.topics()]
    form.entidad.choices = [(UNKNOWN_ENTITY, _l("No lo sé: que la dirija el gobierno"))] + [
        (entity["slug"], entity.get("name", "")) for entity in catalogue.documents("entities")]
    form.municipio.choices = [("", _l("Elija su municipio"))] + [
        (municipality["slug"], municipality["name"]) for municipality in g.site.get("municipalities", [])]
    return form


def _render_form(form, status=200, message=None):
    if not form.iniciado.data:
        form.iniciado.data = start_token()
    return render_template("participation/submit.html", form=form, types=SUBMISSION_TYPES,
                           message=message), status


@bp.route("/participa/", methods=["GET", "POST"])
@csrf.exempt  # checked by the form itself, so an expired token brings the text back instead of a bare 400
def submit():
    """The form; on a valid post the message is saved (fsync'd) before the receipt is shown."""
    form = _submission_form()
    if request.method == "GET":
        form.iniciado.data = start_token()
        return _render_form(form)
    valid = form.validate()
    if request.form.get("accion") == "borrador" and "csrf_token" not in form.errors:
        return _save_draft(form)
    if not valid:
        expired = "csrf_token" in form.errors
        form.csrf_token.errors = []
        form.iniciado.data = start_token() if expired else form.iniciado.data
        message = _l("El formulario caducó mientras lo escribía. Su texto sigue aquí: revíselo y envíelo de nuevo.") \
            if expired else None
        return _render_form(form, 400, message)
    elapsed = seconds_since_start(form.iniciado.data)
    if form.website.data or elapsed is None or elapsed < current_app.config["FORM_MIN_SECONDS"]:
        return _pretend_received()
    limiter = window("submissions", SUBMISSIONS_PER_HOUR, 3600)
    address = client_address()
    if limiter.exceeded(address):
        return _render_form(form, 429, _l(
            "Ya recibimos varios mensajes desde su conexión en la última hora. Su texto sigue aquí: "
            "espere un rato y envíelo de nuevo."))
    pin = new_pin()
    fields = form_fields(form)
    received_today = datetime.now(province_zone()).date()
    saved = save_submission(new_submission(fields, g.site, received_today, str(get_locale()), pin))
    limiter.hit(address)
    notify_citizen(saved, "received")
    if form.borrador.data:
        try:
            delete_draft(form.borrador.data)
        except NotFound:
            pass
    receipts = dict(session.get("receipts", {}))
    receipts[saved["id"]] = pin
    session["receipts"] = dict(list(receipts.items())[-RECEIPTS_KEPT:])
    return redirect(url_for("participation.receipt", code=saved["id"]), 303)


def _pretend_received():
    """What a bot sees: a receipt like any other, for a message that was not kept."""
    fake = {"id": new_tracking_code(), "created": datetime.now().astimezone().isoformat(), "type": "",
            "due": None, "entity": ""}
    return render_template("participation/receipt.html", submission=fake, pin=new_pin(), entity=None)


def _save_draft(form):
    """Keep the half-written message; the citizen gets a code and PIN to come back to it."""
    pin = new_pin()
    code = save_draft(form_fields(form), hash_pin(pin))
    session["draft"] = {"code": code, "pin": pin}
    return redirect(url_for("participation.draft_saved"), 303)


@bp.route("/participa/borrador/guardado")
def draft_saved():
    """The draft's code and PIN (a reload shows them again and saves nothing twice)."""
    draft = session.get("draft")
    if not draft:
        return redirect(url_for("participation.resume_draft"))
    return render_template("participation/draft_saved.html", code=draft["code"], pin=draft["pin"])


@bp.route("/participa/recibo/<code>/")
def receipt(code):
    """The receipt: tracking code, PIN, date received, receiving entity, answer due date."""
    pin = session.get("receipts", {}).get(code)
    if pin is None:
        return redirect(url_for("participation.tracking"))
    submission = get_submission(code)
    entity = catalogue.optional("entities", submission.get("entity"))
    return render_template("participation/receipt.html", submission=submission, pin=pin, entity=entity,
                           by_email=bool(submission.get("email")) and mail_enabled())


@bp.route("/participa/borrador/", methods=["GET", "POST"])
def resume_draft():
    """Come back to a saved draft with its code and PIN."""
    form = CodeAndPinForm()
    if request.method == "POST" and form.validate():
        code = normalise_code(form.codigo.data)
        limiter = window("draft-pins", 10, 900)
        key = client_address()
        if limiter.exceeded(key):
            return render_template("participation/resume_draft.html", form=form, wrong=True, locked=True), 429
        try:
            draft = get_draft(code) if code else None
        except NotFound:
            draft = None
        if draft and pin_matches(draft.get("pin_hash"), form.pin.data):
            submission_form = _submission_form(**_form_data(draft["fields"]))
            submission_form.borrador.data = code
            submission_form.iniciado.data = start_token()
            return _render_form(submission_form, message=_l("Recuperamos su borrador. Revíselo y envíelo."))
        limiter.hit(key)
        return render_template("participation/resume_draft.html", form=form, wrong=True, locked=False), 400
    return render_template("participation/resume_draft.html", form=form, wrong=False, locked=False)


def _form_data(fields):
    return {
        "tipo": fields.get("type"), "tema": fields.get("topic"), "entidad": fields.get("entity"),
        "municipio": fields.get("municipality"), "asunto": fields.get("subject"),
        "mensaje": fields.get("message"), "nombre": fields.get("name"), "respuesta": fields.get("answer_by"),
        "correo": fields.get("email"), "telefono": fields.get("phone"),
        "confidencial": fields.get("confidential"), "publicar": fields.get("publish_consent"),
    }
