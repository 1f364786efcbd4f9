"""Following an online request with its code and PIN: history, what to do next, more information, files."""
from flask import abort, current_app, g, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..limits import window
from ..participation.cases import clean_text
from ..participation.tracking import code_allowed
from ..security import client_address
from ..store import NotFound, catalogue
from ..store.request_files import content_type, download_name, file_path
from ..store.requests import NotAllowed, add_more_info, days_left, get_request
from . import bp
from .answers import answer_text
from .journey import _take_uploads
from .notices import notify_request

MORE_INFO_LIMIT = 5000
ANSWERS_PER_HOUR = 10
STATUS_NAMES = {
    "received": _l("Recibida"),
    "in_review": _l("En revisión"),
    "more_info": _l("Necesitamos más información"),
    "ready": _l("Lista"),
    "refused": _l("Rechazada"),
    "closed": _l("Cerrada"),
}


def _followed_request(code):
    """The request behind a code this visitor opened with its PIN (or just received), else 404."""
    if not code_allowed(code):
        abort(404)
    return get_request(code)


def _booking_address():
    """The appointments page, when this portal has one (to book collecting what is ready)."""
    for rule in current_app.url_map.iter_rules():
        if rule.rule == "/citas/":
            return url_for(rule.endpoint)
    return None


def _more_info_questions():
    """What an answer to a request for more information may attach: one file (its text is apart)."""
    return [{"key": "archivo", "type": "file", "max_mb": 5, "required": False,
             "label": {"es": "Archivo", "en": "File"}}]


@bp.route("/seguimiento/solicitudes/<code>/")
def follow_request(code, problem=None, text=""):
    """Status history, the answers as asked, the files, and what to do next."""
    request_document = _followed_request(code)
    language = str(get_locale())
    stored = request_document.get("answers") or {}
    files = {entry["id"]: entry for entry in request_document.get("files") or []}
    last = (request_document.get("history") or [{}])[-1]
    return render_template(
        "services/follow.html", request_document=request_document, files=files,
        answer_of=lambda question: answer_text(question, stored.get(question["key"]), language, g.site),
        file_of=lambda question: files.get(stored.get(question["key"])),
        file_link=lambda entry: url_for("services.download_file", code=code, file_id=entry["id"]),
        procedure=catalogue.optional("procedures", request_document.get("procedure")), statuses=STATUS_NAMES,
        left=days_left(request_document), last=last, booking=_booking_address(), problem=problem, text=text,
    ), 400 if problem else 200


@bp.route("/seguimiento/solicitudes/<code>/informacion", methods=["POST"])
def answer_more_info(code):
    """The citizen answers a request for more information with a text and a file."""
    request_document = _followed_request(code)
    text = clean_text(request.form.get("texto", ""))[:MORE_INFO_LIMIT]
    if request_document.get("status") != "more_info":
        return follow_request(code, _l("Esta solicitud no espera más información."), text)
    limiter, address = window("request-answers", ANSWERS_PER_HOUR, 3600), client_address()
    if limiter.exceeded(address):
        return follow_request(code, _l("Ya recibimos varias respuestas en la última hora. Espere un rato."), text)
    held, problems = _take_uploads(_more_info_questions(), {})
    if problems:
        return follow_request(code, problems["archivo"], text)
    if not text and not held:
        return follow_request(code, _l("Escriba la información que le pidieron o adjunte un archivo."), text)
    try:
        changed = add_more_info(code, text, list(held.values()))
    except NotAllowed as refused:
        return follow_request(code, str(refused), text)
    limiter.hit(address)
    notify_request(changed, "in_review")
    return redirect(url_for("services.follow_request", code=code, _anchor="historial"), 303)


@bp.route("/seguimiento/solicitudes/<code>/archivos/<file_id>")
def download_file(code, file_id):
    """One file of a request, for the webmaster or the citizen with the PIN: always an attachment."""
    if not (current_user.is_authenticated or code_allowed(code)):
        abort(404)
    try:
        request_document = get_request(code)
    except NotFound:
        abort(404)
    entry = next((item for item in request_document.get("files") or [] if item.get("id") == file_id), None)
    if entry is None:
        abort(404)
    try:
        response = send_file(file_path(entry), mimetype=content_type(entry), as_attachment=True,
                             download_name=download_name(entry), max_age=0, conditional=False)
    except FileNotFoundError:
        abort(404)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

