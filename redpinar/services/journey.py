"""The citizen's online request: the form, its files, a draft, the check page and the receipt."""
import json
from datetime import datetime, timezone

from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from .. import csrf
from ..limits import window
from ..participation.cases import (form_started, hash_pin, new_pin, pin_matches, resumed_draft_code,
                                   resumed_draft_token, seconds_since_start, start_token)
from ..participation.forms import CodeAndPinForm
from ..sealing import seal, unseal
from ..security import client_address
from ..store import NotFound, catalogue, codes
from ..store.drafts import delete_draft, get_draft, save_draft
from ..store.request_files import FileRefused, check_and_store, file_is_whole, hold_seconds, read_limited
from ..store.request_forms import form_version
from ..store.requests import due_date, get_request, online_form
from ..store.submissions import normalise_code
from ..participation.deadlines import province_today
from . import bp
from .answers import answer_text, check_answers, field_id, raw_values
from .handling import register_request

REQUESTS_PER_HOUR = 5
DRAFTS_PER_HOUR = 10
FILES_PER_HOUR = 40
RECEIPTS_KEPT = 5


def _language():
    return str(get_locale())


def _procedure_and_form(slug, version=None):
    """The procedure and the form version answered (the newest unless the post names another); 404 if not online."""
    procedure = catalogue.by_slug("procedures", slug)
    latest = online_form(procedure)
    if latest is None:
        abort(404)
    if version and str(version).isdigit() and int(version) != latest["version"]:
        try:
            return procedure, form_version(latest["procedure"], int(version))
        except NotFound:
            pass
    return procedure, latest


def _seal_json(value, purpose):
    return seal(json.dumps(value, ensure_ascii=False, separators=(",", ":")), purpose)


def _unseal_json(token, purpose):
    text = unseal(token, purpose, max_age=hold_seconds())
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def held_files(token, questions):
    """The files already accepted for this form, {question key: entry}, while the hold lasts."""
    held = _unseal_json(token, "request-files")
    keys = {question["key"] for question in questions if question["type"] == "file"}
    if not isinstance(held, dict):
        return {}
    return {key: entry for key, entry in held.items() if key in keys and isinstance(entry, dict)}


def _take_uploads(questions, held):
    """Check and store the files of this post; returns (held, {key: why refused})."""
    held, problems = dict(held), {}
    limiter, address = window("request-files", FILES_PER_HOUR, 3600), client_address()
    total_limit = current_app.config["REQUEST_FILES_TOTAL_BYTES"]
    for question in questions:
        key = question["key"]
        if question["type"] != "file":
            continue
        if request.form.get(f"quitar-{key}") == "si":
            held.pop(key, None)
        upload = request.files.get(f"q-{key}")
        if upload is None or not upload.filename:
            continue
        if limiter.exceeded(address):
            problems[key] = _l("Ya recibimos muchos archivos desde su conexión en la última hora. Espere un rato.")
            continue
        max_mb = question.get("max_mb")
        limit = int((max_mb if isinstance(max_mb, (int, float)) and max_mb > 0 else 5) * 1024 * 1024)
        try:
            entry = check_and_store(read_limited(upload.stream, limit), upload.filename, key, max_mb)
        except FileRefused as refused:
            problems[key] = refused.message
            continue
        limiter.hit(address)
        others = sum(other["bytes"] for name, other in held.items() if name != key)
        if others + entry["bytes"] > total_limit:
            problems[key] = _l("Los archivos de una solicitud no pueden pasar de %(mb)d MB en total.",
                               mb=total_limit // (1024 * 1024))
            continue
        held[key] = entry
    return held, problems


def _csrf_valid():
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        return False
    return True


def _render_form(procedure, form, raw=None, held=None, problems=(), status=200, message=None,
                 started=None, draft=""):
    return render_template(
        "services/request_form.html", procedure=procedure, form=form, raw=raw or {}, held=held or {},
        held_token=_seal_json(held or {}, "request-files"), problems=list(problems),
        problem_of=dict(problems), field_id=field_id, message=message, draft=draft,
        started=started if form_started(started) is not None else start_token(),
    ), status


@bp.route("/tramites/<slug>/solicitar", methods=["GET", "POST"])
@csrf.exempt  # checked below, so an expired token brings the answers back instead of a bare 400
def request_form(slug):
    """The procedure's request form; a valid post shows the check page, files already stored."""
    procedure, form = _procedure_and_form(slug, request.form.get("version"))
    if request.method == "GET":
        return _render_form(procedure, form)
    questions = form["questions"]
    raw = raw_values(questions, request.form)
    held = held_files(request.form.get("archivos"), questions)
    started, draft = request.form.get("iniciado"), request.form.get("borrador", "")
    if not _csrf_valid():
        return _render_form(procedure, form, raw, held, status=400, started=started, draft=draft, message=_l(
            "El formulario caducó mientras lo completaba. Sus respuestas siguen aquí: revíselas y envíelas de "
            "nuevo (los archivos que no aparezcan como adjuntos, adjúntelos otra vez)."))
    held, file_problems = _take_uploads(questions, held)
    if request.form.get("accion") == "borrador":
        return _save_draft(procedure, form, raw, held, started, draft)
    answers, problems = check_answers(questions, raw, held, g.site, _language(), file_problems)
    if problems:
        return _render_form(procedure, form, raw, held, problems, 400, started=started, draft=draft)
    state = {"p": slug, "v": form["version"], "r": raw, "f": held, "i": started, "b": draft,
             "w": bool(request.form.get("website"))}
    language = _language()
    return render_template("services/request_check.html", procedure=procedure, form=form,
                           answer_text_of=lambda question: answer_text(question, answers.get(question["key"]),
                                                                       language, g.site),
                           file_of=lambda question: held.get(question["key"]),
                           state=_seal_json(state, "request-check"))


@bp.route("/tramites/<slug>/solicitar/enviar", methods=["POST"])
@csrf.exempt  # checked below, for the same reason as the form
def send_request(slug):
    """Send the checked answers (or go back to change them); the request and its files are on disk
    before the receipt is shown."""
    state = _unseal_json(request.form.get("estado"), "request-check")
    if not isinstance(state, dict) or state.get("p") != slug:
        procedure, form = _procedure_and_form(slug)
        return _render_form(procedure, form, status=400, message=_l(
            "Pasó demasiado tiempo desde que revisó sus respuestas. Complete el formulario de nuevo."))
    procedure, form = _procedure_and_form(slug, state.get("v"))
    questions = form["questions"]
    raw, started, draft = state.get("r") or {}, state.get("i"), state.get("b") or ""
    held = {key: entry for key, entry in (state.get("f") or {}).items() if file_is_whole(entry)}
    if request.form.get("accion") == "cambiar" or not _csrf_valid():
        return _render_form(procedure, form, raw, held, started=started, draft=draft)
    answers, problems = check_answers(questions, raw, held, g.site, _language())
    if problems:
        return _render_form(procedure, form, raw, held, problems, 400, started=started, draft=draft)
    if state.get("w"):
        return _pretend_received(procedure)
    elapsed = seconds_since_start(started)
    if elapsed is None or elapsed < current_app.config["FORM_MIN_SECONDS"]:
        return _render_form(procedure, form, raw, held, status=400, started=None, draft=draft, message=_l(
            "Revise sus respuestas y envíelas de nuevo. Siguen aquí."))
    limiter, address = window("requests", REQUESTS_PER_HOUR, 3600), client_address()
    if limiter.exceeded(address):
        return _render_form(procedure, form, raw, held, status=429, started=started, draft=draft, message=_l(
            "Ya recibimos varias solicitudes desde su conexión en la última hora. Sus respuestas siguen aquí: "
            "espere un rato y envíelas de nuevo."))
    saved, pin = register_request(procedure, form, answers, list(held.values()), "web", _language())
    limiter.hit(address)
    _forget_resumed_draft(draft)
    receipts = dict(session.get("receipts") or {})
    receipts[saved["id"]] = seal(pin)
    session["receipts"] = dict(list(receipts.items())[-RECEIPTS_KEPT:])
    return redirect(url_for("services.receipt", code=saved["id"]), 303)


def _pretend_received(procedure):
    """What a bot that filled the hidden field sees: a receipt like any other, for a request not kept."""
    fake = {"id": codes.new_code(), "created": datetime.now(timezone.utc).isoformat(), "procedure": procedure["slug"],
            "due": due_date(procedure, province_today(g.site), g.site).isoformat()}
    return render_template("services/receipt.html", request_document=fake, procedure=procedure, pin=new_pin(),
                           printing=False)


def _forget_resumed_draft(token, keep=None):
    code = resumed_draft_code(token)
    if code and code != keep:
        try:
            delete_draft(code)
        except NotFound:
            pass


def _save_draft(procedure, form, raw, held, started, draft):
    limiter, address = window("request-drafts", DRAFTS_PER_HOUR, 3600), client_address()
    if limiter.exceeded(address):
        return _render_form(procedure, form, raw, held, status=429, started=started, draft=draft, message=_l(
            "Ya guardamos varios borradores desde su conexión en la última hora. Sus respuestas siguen aquí."))
    pin = new_pin()
    moment = form_started(started) or datetime.now(timezone.utc).timestamp()
    fields = {"kind": "request", "procedure": procedure["slug"], "form_version": form["version"], "raw": raw,
              "files": list(held.values())}
    code = save_draft(fields, hash_pin(pin), datetime.fromtimestamp(moment, timezone.utc).isoformat())
    limiter.hit(address)
    _forget_resumed_draft(draft, keep=code)
    session["request_draft"] = {"code": code, "pin": seal(pin), "procedure": procedure["slug"]}
    return redirect(url_for("services.draft_saved", slug=procedure["slug"]), 303)


@bp.route("/tramites/<slug>/solicitar/borrador/guardado")
def draft_saved(slug):
    """The draft's code and PIN (a reload shows them again and saves nothing twice)."""
    procedure, _form = _procedure_and_form(slug)
    kept = session.get("request_draft")
    pin = unseal(kept.get("pin")) if isinstance(kept, dict) and kept.get("procedure") == slug else None
    if not pin:
        return redirect(url_for("services.resume_draft", slug=slug))
    return render_template("services/draft_saved.html", procedure=procedure, code=kept["code"], pin=pin)


@bp.route("/tramites/<slug>/solicitar/borrador", methods=["GET", "POST"])
def resume_draft(slug):
    """Come back to a saved request, its files included, with its code and PIN."""
    procedure, form = _procedure_and_form(slug)
    code_form = CodeAndPinForm()
    if request.method == "POST" and code_form.validate():
        limiter, address = window("draft-pins", 10, 900), client_address()
        if limiter.exceeded(address):
            return render_template("services/resume_draft.html", procedure=procedure, form=code_form,
                                   wrong=True), 429
        code = normalise_code(code_form.codigo.data)
        try:
            kept = get_draft(code) if code else None
        except NotFound:
            kept = None
        fields = (kept or {}).get("fields") or {}
        if kept and fields.get("kind") == "request" and fields.get("procedure") == slug \
                and pin_matches(kept.get("pin_hash"), code_form.pin.data):
            return resumed_draft_form(kept)
        limiter.hit(address)
        return render_template("services/resume_draft.html", procedure=procedure, form=code_form, wrong=True), 400
    return render_template("services/resume_draft.html", procedure=procedure, form=code_form,
                           wrong=False), 400 if request.method == "POST" else 200


def resumed_draft_form(kept):
    """The request form of a draft whose PIN was given, answers and still-whole files in (404 if no longer online)."""
    fields = kept.get("fields") or {}
    procedure, form = _procedure_and_form(fields.get("procedure"))
    keys = {question["key"] for question in form["questions"] if question["type"] == "file"}
    held = {entry["question"]: entry for entry in fields.get("files") or []
            if isinstance(entry, dict) and entry.get("question") in keys and file_is_whole(entry)}
    started = kept.get("started") or kept.get("created")
    try:
        started_token = start_token(datetime.fromisoformat(started).timestamp())
    except (TypeError, ValueError):
        started_token = None
    return _render_form(procedure, form, fields.get("raw") or {}, held, started=started_token,
                        draft=resumed_draft_token(kept["id"]),
                        message=_l("Recuperamos su borrador. Revíselo y envíelo."))


def _receipt_pin(code):
    receipts = session.get("receipts")
    return unseal(receipts.get(code)) if isinstance(receipts, dict) else None


@bp.route("/tramites/solicitud/recibo/<code>/")
@bp.route("/tramites/solicitud/recibo/<code>/imprimir", endpoint="print_receipt")
def receipt(code):
    """The receipt: code, PIN, procedure, date received and due date (and a version to print)."""
    pin = _receipt_pin(code)
    if pin is None:
        return redirect(url_for("participation.tracking"))
    request_document = get_request(code)
    procedure = catalogue.optional("procedures", request_document["procedure"]) or {"slug": "", "title": ""}
    return render_template("services/receipt.html", request_document=request_document, procedure=procedure,
                           pin=pin, printing=request.endpoint == "services.print_receipt")
