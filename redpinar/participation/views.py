"""Sending a message to the government: the form, drafts and the receipt."""
import time
from datetime import datetime, timezone

from flask import current_app, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from ..limits import window
from ..mail import mail_enabled, notify_citizen, notify_webmaster
from .. import csrf
from ..sealing import seal, unseal
from ..security import client_address
from ..templating import province_zone
from ..store import NotFound, catalogue
from ..store.drafts import delete_draft, get_draft, save_draft
from ..store.site import localized
from ..store.submissions import get_submission, new_tracking_code, normalise_code, save_submission
from . import bp
from .cases import (draft_fields, form_fields, form_started, hash_pin, keep_only_length_errors, new_pin,
                    new_submission, pin_matches, resumed_draft_code, resumed_draft_token, seconds_since_start,
                    start_token)
from .forms import SUBMISSION_TYPES, TEXT_LIMITS, UNKNOWN_ENTITY, CodeAndPinForm, SubmissionForm

SUBMISSIONS_PER_HOUR = 5
DRAFTS_PER_HOUR = 10
RECEIPTS_KEPT = 5
# Pages that show a PIN or a citizen's own case: never kept by a browser's cache or a proxy.
PRIVATE_ENDPOINTS = {"participation.receipt", "participation.draft_saved", "participation.follow",
                     "participation.reply", "participation.my_data"}


@bp.after_request
def _never_store_private_pages(response):
    if request.endpoint in PRIVATE_ENDPOINTS:
        response.headers["Cache-Control"] = "no-store"
    return response


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
    # The clock runs from the first opening: a valid start token goes back as it came.
    if form_started(form.iniciado.data) is None:
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
    expired = "csrf_token" in form.errors
    if request.form.get("accion") == "borrador" and not expired:
        return _save_draft(form)
    if not valid:
        form.csrf_token.errors = []
        message = _l("El formulario caducó mientras lo escribía. Su texto sigue aquí: revíselo y envíelo de nuevo.") \
            if expired else None
        return _render_form(form, 400, message)
    if form.website.data:
        return _pretend_received(form)
    elapsed = seconds_since_start(form.iniciado.data)
    if elapsed is None or elapsed < current_app.config["FORM_MIN_SECONDS"]:
        # Too fast, or no start time: perhaps a script, perhaps a person. Nothing is kept and
        # nothing pretends to be: the text comes back to be checked and sent again.
        return _render_form(form, 400, _l("Revise su mensaje y envíelo de nuevo. Su texto sigue aquí."))
    count_hit, refused = _hourly_allowance(form, "submissions", SUBMISSIONS_PER_HOUR, _l(
        "Ya recibimos varios mensajes desde su conexión en la última hora. Su texto sigue aquí: "
        "espere un rato y envíelo de nuevo."))
    if refused:
        return refused
    pin = new_pin()
    fields = form_fields(form)
    received_today = datetime.now(province_zone()).date()
    saved = save_submission(new_submission(fields, g.site, received_today, str(get_locale()), pin))
    count_hit()
    notify_citizen(saved, "received")
    notify_webmaster(saved, "new")
    _forget_resumed_draft(form)
    receipts = dict(session.get("receipts") or {})
    receipts[saved["id"]] = seal(pin)
    session["receipts"] = dict(list(receipts.items())[-RECEIPTS_KEPT:])
    return redirect(url_for("participation.receipt", code=saved["id"]), 303)


def _forget_resumed_draft(form, keep=None):
    """Remove the draft the form was resumed from (only one this portal handed out)."""
    code = resumed_draft_code(form.borrador.data)
    if code and code != keep:
        try:
            delete_draft(code)
        except NotFound:
            pass


def _pretend_received(form):
    """What a bot that filled the hidden field sees: a receipt like any other, for a message not kept."""
    fields = form_fields(form)
    fake = {"id": new_tracking_code(), "created": datetime.now().astimezone().isoformat(), "type": fields["type"],
            "subject": fields["subject"], "due": None, "entity": ""}
    html = render_template("participation/receipt.html", submission=fake, pin=new_pin(), entity=None,
                           types=SUBMISSION_TYPES)
    return html, 200, {"Cache-Control": "no-store"}


def _hourly_allowance(form, name, per_hour, refusal):
    """(count_hit, refused): the form again with a 429 when this address used its hourly allowance.

    count_hit() counts one more once the message or draft is stored, never before.
    """
    limiter, address = window(name, per_hour, 3600), client_address()
    if limiter.exceeded(address):
        return None, _render_form(form, 429, refusal)
    return (lambda: limiter.hit(address)), None


def _save_draft(form):
    """Keep the half-written message; the citizen gets a code and PIN to come back to it."""
    if keep_only_length_errors(form, TEXT_LIMITS):
        return _render_form(form, 400, _l("No guardamos el borrador: revise lo que se indica abajo."))
    count_hit, refused = _hourly_allowance(form, "drafts", DRAFTS_PER_HOUR, _l(
        "Ya guardamos varios borradores desde su conexión en la última hora. Su texto sigue aquí: "
        "espere un rato para guardarlo, o envíe el mensaje."))
    if refused:
        return refused
    started = form_started(form.iniciado.data) or time.time()
    pin = new_pin()
    code = save_draft(draft_fields(form), hash_pin(pin),
                      datetime.fromtimestamp(started, timezone.utc).isoformat(timespec="milliseconds"))
    count_hit()
    _forget_resumed_draft(form, keep=code)
    session["draft"] = {"code": code, "pin": seal(pin)}
    return redirect(url_for("participation.draft_saved"), 303)


@bp.route("/participa/borrador/guardado")
def draft_saved():
    """The draft's code and PIN (a reload shows them again and saves nothing twice)."""
    draft = session.get("draft")
    pin = unseal(draft.get("pin")) if isinstance(draft, dict) else None
    if not pin:
        return redirect(url_for("participation.resume_draft"))
    return render_template("participation/draft_saved.html", code=draft["code"], pin=pin)


@bp.route("/participa/recibo/<code>/")
def receipt(code):
    """The receipt: tracking code, PIN, date received, receiving entity, answer due date."""
    receipts = session.get("receipts")
    pin = unseal(receipts.get(code)) if isinstance(receipts, dict) else None
    if pin is None:
        return redirect(url_for("participation.tracking"))
    submission = get_submission(code)
    entity = catalogue.optional("entities", submission.get("entity"))
    return render_template("participation/receipt.html", submission=submission, pin=pin, entity=entity,
                           types=SUBMISSION_TYPES, by_email=bool(submission.get("email")) and mail_enabled())


def _draft_started(draft):
    """When the citizen first opened the form of a draft (its first save, for drafts older than that note)."""
    for moment in (draft.get("started"), draft.get("created")):
        try:
            return datetime.fromisoformat(moment).timestamp()
        except (TypeError, ValueError):
            continue
    return None


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
            if (draft.get("fields") or {}).get("kind") == "request":
                # A draft of an online request: its own form, with its answers and files.
                from ..services.journey import resumed_draft_form
                return resumed_draft_form(draft)
            # formdata=None: this post carries the code and PIN, not the form, whose unticked boxes
            # would otherwise override the draft's ticks.
            submission_form = _submission_form(formdata=None, **_form_data(draft.get("fields") or {}))
            submission_form.borrador.data = resumed_draft_token(code)
            submission_form.iniciado.data = start_token(_draft_started(draft))
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
