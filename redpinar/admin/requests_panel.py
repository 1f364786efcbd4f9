"""Online requests in the panel: the list beside messages, one request with its actions, print and CSV."""
from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length

from ..csvfile import csv_response
from ..security import client_address
from ..services.answers import answer_text
from ..services.following import STATUS_NAMES
from ..services.handling import change_status
from ..store import NotFound, audit, catalogue
from ..store.requests import (NEXT_STATUSES, NOTE_REQUIRED, NotAllowed, add_internal_note, days_left,
                              get_request, list_requests)
from ..store.site import localized
from ..templating import province_zone
from . import bp
from .forms import NoteForm

CHANNEL_NAMES = {
    "web": _l("En línea"),
    "in_person": _l("En persona"),
    "phone": _l("Por teléfono"),
    "letter": _l("Por carta"),
}
# What each action button says, in the order the page offers them.
ACTION_NAMES = {
    "in_review": _l("Pasar a revisión"),
    "more_info": _l("Pedir más información"),
    "ready": _l("Marcar como lista"),
    "refused": _l("Rechazar"),
    "closed": _l("Cerrar"),
}
NOTE_LABELS = {
    "more_info": _l("Qué información falta (la lee el ciudadano)"),
    "ready": _l("Qué debe hacer el ciudadano ahora (opcional, la lee el ciudadano)"),
    "refused": _l("Motivo del rechazo (lo lee el ciudadano)"),
}


class RequestStatusForm(FlaskForm):
    """One status move, with the note or reason the citizen reads."""

    nota = TextAreaField(_l("Nota para el ciudadano"), validators=[Length(max=2000)])


def procedure_title(slug, language=None):
    """A procedure's title in the panel's language (its slug when it is no longer published)."""
    procedure = catalogue.optional("procedures", slug)
    return localized(procedure.get("title"), language or str(get_locale())) if procedure else slug


def request_rows(procedure=None, status=None):
    """The requests of the inbox: open ones first, the nearest due date first."""
    today = date.today()
    rows = [{
        "id": document["id"], "procedure": document.get("procedure", ""), "status": document.get("status", ""),
        "channel": document.get("channel", "web"), "created": document.get("created", ""),
        "due": document.get("due") or "", "left": days_left(document, today),
    } for document in list_requests(procedure=procedure or None, status=status or None)]
    rows.sort(key=lambda row: (row["left"] is None, row["due"] or "9999", row["created"]))
    return rows


def procedure_choices():
    """(slug, title) of every procedure that has requests or takes them online."""
    slugs = {document.get("procedure") for document in list_requests()}
    slugs.update(procedure["slug"] for procedure in catalogue.documents("procedures") if procedure.get("online") is True)
    return sorted(((slug, procedure_title(slug)) for slug in slugs if slug), key=lambda pair: pair[1].lower())


def _get_or_404(code):
    try:
        return get_request(code)
    except NotFound:
        abort(404)


def _answers(request_document):
    """[(question, answer text, file entry)] in the order asked, from the request's own copy of the questions."""
    language = str(get_locale())
    stored = request_document.get("answers") or {}
    files = {entry["id"]: entry for entry in request_document.get("files") or []}
    shown = []
    for question in request_document.get("questions") or []:
        answer = stored.get(question["key"])
        if question["type"] == "file":
            shown.append((question, "", files.get(answer) if isinstance(answer, str) else None))
        else:
            shown.append((question, answer_text(question, answer, language, g.site), None))
    return shown


def _status_forms(request_document):
    return {status: RequestStatusForm(prefix=status)
            for status in NEXT_STATUSES.get(request_document.get("status"), ())}


def _page(request_document, template):
    return render_template(
        template, request_document=request_document, answers=_answers(request_document),
        statuses=STATUS_NAMES, channels=CHANNEL_NAMES, left=days_left(request_document),
        today=date.today().isoformat(), status_forms=_status_forms(request_document), action_names=ACTION_NAMES,
        note_labels=NOTE_LABELS, notes_needed=NOTE_REQUIRED, note_form=NoteForm(prefix="note"),
        procedure_name=procedure_title(request_document.get("procedure", "")),
        file_link=lambda entry: url_for("services.download_file", code=request_document["id"], file_id=entry["id"]))


@bp.route("/solicitudes/<code>/")
@login_required
def request_page(code):
    """One request: answers as asked, files, the clock, the actions, notes and history."""
    return _page(_get_or_404(code), "admin/request.html")


@bp.route("/solicitudes/<code>/imprimir")
@login_required
def request_print(code):
    """One request on one sheet, for the paper file."""
    return _page(_get_or_404(code), "admin/request_print.html")


@bp.route("/solicitudes/<code>/estado/<status>", methods=["POST"])
@login_required
def request_status(code, status):
    """Move a request on (in review, more information, ready, refused, closed); the citizen is told."""
    request_document = _get_or_404(code)
    if status not in ACTION_NAMES:
        abort(404)
    form = RequestStatusForm(prefix=status)
    if not form.validate_on_submit():
        flash(_l("Revise el formulario: %(errors)s", errors="; ".join(
            str(message) for messages in form.errors.values() for message in messages)), "error")
        return redirect(url_for("admin.request_page", code=code), 303)
    if status not in NEXT_STATUSES.get(request_document.get("status"), ()):
        flash(_l("No se puede: la solicitud está «%(current)s» y no puede pasar a «%(wanted)s».",
                 current=STATUS_NAMES.get(request_document.get("status"), request_document.get("status")),
                 wanted=STATUS_NAMES[status]), "error")
        return redirect(url_for("admin.request_page", code=code), 303)
    try:
        change_status(code, status, current_user.username, form.nota.data or "")
    except NotAllowed as refusal:
        flash(_l("No se puede: %(reason)s", reason=str(refusal)), "error")
        return redirect(url_for("admin.request_page", code=code), 303)
    audit.record(current_user.username, "request-status", target=code, facts={"request_status": status},
                 address=client_address())
    flash(_l("Hecho."), "ok")
    return redirect(url_for("admin.request_page", code=code), 303)


@bp.route("/solicitudes/<code>/nota", methods=["POST"])
@login_required
def request_note(code):
    """An internal note, never shown to the citizen."""
    _get_or_404(code)
    form = NoteForm(prefix="note")
    if not form.validate_on_submit():
        flash(_l("Revise el formulario: %(errors)s", errors="; ".join(
            str(message) for messages in form.errors.values() for message in messages)), "error")
        return redirect(url_for("admin.request_page", code=code), 303)
    try:
        add_internal_note(code, form.nota.data, current_user.username)
    except NotAllowed as refusal:
        flash(_l("No se puede: %(reason)s", reason=str(refusal)), "error")
        return redirect(url_for("admin.request_page", code=code), 303)
    audit.record(current_user.username, "request-note", target=code, address=client_address())
    flash(_l("Hecho."), "ok")
    return redirect(url_for("admin.request_page", code=code), 303)


@bp.route("/solicitudes.csv")
@login_required
def requests_csv():
    """The requests (filtered by procedure and status) as CSV, answers included."""
    procedure = request.args.get("tramite", "").strip()[:80]
    status = request.args.get("estado", "").strip()[:20]
    status = status if status in STATUS_NAMES else ""
    language = str(get_locale())
    rows = [[str(_l("Código")), str(_l("Trámite")), str(_l("Estado")), str(_l("Vía")), str(_l("Recibida")),
             str(_l("Vence")), str(_l("Resuelta")), str(_l("Respuestas"))]]
    for document in list_requests(procedure=procedure or None, status=status or None):
        answers = "; ".join(
            f"{localized(question.get('label'), language)}: {text or (entry or {}).get('name', '')}"
            for question, text, entry in _answers(document) if text or entry)
        rows.append([document["id"], procedure_title(document.get("procedure", ""), language),
                     str(STATUS_NAMES.get(document.get("status"), document.get("status", ""))),
                     str(CHANNEL_NAMES.get(document.get("channel", "web"), document.get("channel", ""))),
                     document.get("created", "")[:10], document.get("due", ""),
                     (document.get("resolved") or "")[:10], answers])
    audit.record(current_user.username, "request-export-csv", detail=request.query_string.decode()[:200])
    return csv_response(rows, "solicitudes.csv", zone=province_zone())

