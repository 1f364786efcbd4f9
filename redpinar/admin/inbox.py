"""The inbox: every citizen's message with its clock, and what the webmaster does with it."""
from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from ..csvfile import csv_response
from ..mail import notify_citizen
from ..pagination import Page, page_number
from ..participation import handling
from ..participation.deadlines import FORWARDING_FLAGS, days_left, forwarding_of, forwarding_state, province_today
from ..participation.forms import ANSWER_CHANNELS, STATUS_NAMES, SUBMISSION_TYPES
from ..participation.personal import FLAG_KINDS, describe_flags, personal_data_flags
from ..security import client_address
from ..store import NotFound, StoreWriteError, audit, catalogue
from ..store.inbox import citizen_news, inbox_rows, mark_seen, merged_into, search_texts
from ..store.site import localized
from ..templating import province_zone
from ..store.submissions import CODE_ALPHABET, get_submission, modify_submission, normalise_code
from ..text import fold_accents
from . import bp
from .export import inbox_table
from .requests_panel import CHANNEL_NAMES, procedure_choices, procedure_title, request_rows
from ..services.following import STATUS_NAMES as REQUEST_STATUS_NAMES
from .forms import AnswerForm, EmptyForm, ExtendForm, FaqForm, ForwardForm, MergeForm, NoteForm, StatusForm

FILTERS = ("q", "tipo", "estado", "tema", "entidad", "municipio", "desde", "hasta", "atrasados", "clase", "tramite")
# Kinds of case the inbox lists; a filter by procedure leaves only requests (a message has no procedure).
KINDS = {"mensajes": _l("Mensajes"), "solicitudes": _l("Solicitudes en línea")}
# Statuses in which the case is settled: the actions that move it on no longer apply.
SETTLED = ("answered", "closed", "spam", "merged", "withdrawn")
# Actions offered while a case is open; "estado" also closes an answered one.
OPEN_ONLY = {"responder": SETTLED, "reenviar": SETTLED, "prorrogar": SETTLED, "unir": SETTLED, "spam": SETTLED,
             "estado": ("closed", "spam", "merged", "withdrawn")}


def _chosen_filters():
    return {name: request.args.get(name, "").strip()[:40] for name in FILTERS if request.args.get(name, "").strip()}


def _searched(query):
    """The codes whose code, subject, message or replies hold the query (any case, any accents)."""
    code = normalise_code(query)
    folded = fold_accents(query)
    bare_code = folded.replace("-", "").replace(" ", "").upper()
    # Part of a code ("K7X9", "PQRS"): four to eight characters of the codes' alphabet. A word such
    # as "casa" may then match a code as well as texts: one more row is better than a missed case.
    partial_code = 4 <= len(bare_code) <= 8 and all(character in CODE_ALPHABET for character in bare_code)
    return {found for found, text in search_texts().items()
            if found == code or (partial_code and bare_code in found.replace("-", "")) or folded in text}


def _matching(filters):
    today = date.today().isoformat()
    found = _searched(filters["q"]) if filters.get("q") else None
    rows = []
    for row in inbox_rows():
        if found is not None and row["id"] not in found:
            continue
        if filters.get("tipo") and row["type"] != filters["tipo"]:
            continue
        if filters.get("estado") and row["status"] != filters["estado"]:
            continue
        if filters.get("tema") and row["topic"] != filters["tema"]:
            continue
        if filters.get("entidad") and filters["entidad"] not in (row["entity"], row["forwarded_to"]):
            continue
        if filters.get("municipio") and row["municipality"] != filters["municipio"]:
            continue
        if filters.get("desde") and row["created"][:10] < filters["desde"]:
            continue
        if filters.get("hasta") and row["created"][:10] > filters["hasta"]:
            continue
        if filters.get("atrasados") and not (row["open"] and row["due"] < today) and not _forwarding_overdue(row):
            continue
        rows.append(row)
    rows.sort(key=lambda row: (not row["open"], row["due"] or "9999", row["created"]))
    return rows


def _forwarding_overdue(row):
    """Still not sent to the competent entity, and past the days allowed for it."""
    return forwarding_state(row, province_today(g.site)) == "overdue"


@bp.route("/")
@login_required
def home():
    """The panel starts at the inbox."""
    return redirect(url_for("admin.inbox"))


@bp.route("/mensajes/")
@login_required
def inbox():
    """Messages sorted by due date, with filters; overdue ones flagged."""
    filters = _chosen_filters()
    kind = filters.get("clase") if filters.get("clase") in KINDS else ""
    messages_shown = kind != "solicitudes" and not filters.get("tramite")
    # A status only messages have (forwarded, answered…) leaves no request, and one only requests have no message.
    requests_shown = kind != "mensajes" and filters.get("estado", "received") in REQUEST_STATUS_NAMES
    page = Page(_matching(filters) if messages_shown else [], page_number(request.args.get("pagina")), per_page=50)
    requests_page = Page(request_rows(filters.get("tramite"), filters.get("estado") if filters.get("estado") in
                                      REQUEST_STATUS_NAMES else None) if requests_shown else [],
                         page_number(request.args.get("pagina") if not messages_shown else None), per_page=50)
    examples = sum(1 for row in inbox_rows() if row["example"])
    return render_template("admin/inbox.html", page=page, filters=filters, types=SUBMISSION_TYPES, examples=examples,
                           kinds=KINDS, messages_shown=messages_shown, requests_shown=requests_shown,
                           requests_page=requests_page, request_statuses=REQUEST_STATUS_NAMES,
                           procedures=procedure_choices(), procedure_title=procedure_title, channels=CHANNEL_NAMES,
                           statuses=STATUS_NAMES, today=date.today().isoformat(), forwarding_flags=FORWARDING_FLAGS,
                           forwarding={row["id"]: forwarding_state(row, province_today(g.site)) for row in page.items},
                           topics=catalogue.topics(), entities=catalogue.documents("entities"))


@bp.route("/mensajes.csv")
@login_required
def inbox_csv():
    """The filtered list as CSV."""
    rows = inbox_table(_matching(_chosen_filters()))
    audit.record(current_user.username, "export-csv", detail=request.query_string.decode()[:200])
    return csv_response(rows, "mensajes.csv", zone=province_zone())


def _forms(submission):
    forward = ForwardForm(prefix="forward")
    forward.entidad.choices = [SelectChoice("", _l("Elija la entidad"))] + [
        SelectChoice(entity["slug"], entity.get("name", "")) for entity in catalogue.documents("entities")]
    return {
        "forward": forward, "status": StatusForm(prefix="status"), "extend": ExtendForm(prefix="extend"),
        "answer": AnswerForm(prefix="answer", respuesta="" if submission.get("status") != "answered"
                             else submission.get("answer", "")),
        "note": NoteForm(prefix="note"), "merge": MergeForm(prefix="merge"), "empty": EmptyForm(prefix="empty"),
        "faq": FaqForm(prefix="faq", pregunta=(submission.get("faq") or {}).get("question", submission.get("subject", "")),
                       respuesta_publica=(submission.get("faq") or {}).get("answer", submission.get("answer", ""))),
    }


def _places():
    """Capitalised words that are places of the province, not people."""
    site = g.site
    return [municipality["name"] for municipality in site.get("municipalities", [])] + [
        localized(site.get("name"), "es"), localized(site.get("short_name"), "es")]


def faq_flags(submission, question, answer):
    """What looks like personal data in a question and answer about to be published."""
    return personal_data_flags(f"{question}\n{answer}", known_names=[submission.get("name", "")],
                               ignored=[place for place in _places() if place])


@bp.route("/mensajes/<code>/")
@login_required
def message(code):
    """One message: everything the citizen wrote, its clock, history, notes and the actions."""
    try:
        submission = get_submission(code)
    except NotFound:
        abort(404)
    news = citizen_news(submission)
    if news:
        try:
            mark_seen(code)
        except StoreWriteError:
            pass  # reading the message matters more; the flag stays until the next opening
    forms = _forms(submission)
    flags = faq_flags(submission, forms["faq"].pregunta.data, forms["faq"].respuesta_publica.data)
    return render_template("admin/message.html", submission=submission, forms=forms, faq_flags=flags,
                           flag_kinds=FLAG_KINDS,
                           channels={choice.value: choice.label for choice in ANSWER_CHANNELS},
                           types=SUBMISSION_TYPES, statuses=STATUS_NAMES, left=days_left(submission), news=news,
                           arrived_by=CHANNEL_NAMES,
                           forwarding=forwarding_of(submission, province_today(g.site)), forwarding_flags=FORWARDING_FLAGS,
                           offered={action for action, settled in OPEN_ONLY.items()
                                    if submission.get("status") not in settled},
                           entity=catalogue.optional("entities", submission.get("entity")),
                           forwarded=catalogue.optional("entities", submission.get("forwarded_to")))


@bp.route("/mensajes/<code>/<action>", methods=["POST"])
@login_required
def act(code, action):
    """Apply one action; every action is recorded with who and when."""
    try:
        submission = get_submission(code)
    except NotFound:
        abort(404)
    if action not in ACTIONS:
        abort(404)
    form_name, change = ACTIONS[action]
    status = submission.get("status")
    if status in OPEN_ONLY.get(action, ()):
        # Checked before the form: a page opened before the change may still show the form.
        reason = _l("el ciudadano retiró este caso y borró sus datos") if status == "withdrawn" else \
            _l("el mensaje está «%(status)s»", status=STATUS_NAMES.get(status, status))
        flash(_l("No se puede: %(reason)s", reason=str(reason)), "error")
        return redirect(url_for("admin.message", code=code), 303)
    form = _forms(submission)[form_name]
    if not form.validate_on_submit():
        flash(_l("Revise el formulario: %(errors)s", errors="; ".join(
            str(message) for messages in form.errors.values() for message in messages)), "error")
        return redirect(url_for("admin.message", code=code), 303)
    who = current_user.username

    def checked_change(document):
        if document.get("status") == "withdrawn" and action in CLOCK_ACTIONS:
            raise handling.NotAllowed(_l("el ciudadano retiró este caso y borró sus datos"))
        if document.get("status") in OPEN_ONLY.get(action, ()):
            raise handling.NotAllowed(_l("el mensaje está «%(status)s»", status=STATUS_NAMES.get(
                document.get("status"), document.get("status"))))
        change(document, form, who)

    try:
        changed = modify_submission(code, checked_change)
    except handling.NotAllowed as refusal:
        flash(_l("No se puede: %(reason)s", reason=str(refusal)), "error")
        return redirect(url_for("admin.message", code=code), 303)
    audit.record(who, "submission-" + action, target=code, facts=_audit_facts(action, form), address=client_address())
    if action in CITIZEN_SEES:
        notify_citizen(changed, "answered" if action == "responder" else "changed")
    if action == "unir":
        notify_citizen(changed, "merged")
    if action == "responder":
        _tell_merged_citizens(code)
    flash(_l("Hecho."), "ok")
    return redirect(url_for("admin.message", code=code), 303)


def _audit_facts(action, form):
    """What the activity log's sentence names besides the message: the entity, the status, the days, the other code."""
    if action == "reenviar":
        entity = catalogue.optional("entities", form.entidad.data) or {}
        return {"entity": entity.get("name") or form.entidad.data}
    if action == "estado":
        return {"status": form.estado.data}
    if action == "prorrogar":
        return {"days": form.dias.data}
    if action == "unir":
        return {"into": normalise_code(form.codigo.data)}
    return {}


def _merge(document, form, who):
    other = normalise_code(form.codigo.data)
    if not other or other == document["id"]:
        raise handling.NotAllowed(_l("código no válido"))
    get_submission(other)
    handling.merge_into(document, other, who)


def _tell_merged_citizens(code):
    """The authors of the messages merged into this one read the same answer on their own page."""
    for merged_code in merged_into(code):
        try:
            notify_citizen(get_submission(merged_code), "answered")
        except NotFound:
            continue


def _publish(document, form, who):
    flags = faq_flags(document, form.pregunta.data, form.respuesta_publica.data)
    if flags and not form.datos_revisados.data:
        raise handling.NotAllowed(_l(
            "el texto puede tener datos personales (%(flags)s). Quítelos, o marque que los revisó y que "
            "no identifican a nadie.", flags=describe_flags(flags)))
    handling.publish_faq(document, form.pregunta.data, form.respuesta_publica.data, who)


# Changes the citizen is told about by email.
CITIZEN_SEES = ("reenviar", "estado", "prorrogar", "responder")
# Changes that would restart the clock of a case the citizen withdrew.
CLOCK_ACTIONS = ("reenviar", "estado", "prorrogar", "responder", "unir", "publicar")

ACTIONS = {
    "reenviar": ("forward", lambda document, form, who: handling.forward(
        document, form.entidad.data, (catalogue.optional("entities", form.entidad.data) or {}).get("name", ""), who,
        province_today(g.site))),
    "estado": ("status", lambda document, form, who: handling.set_status(document, form.estado.data, who)),
    "prorrogar": ("extend", lambda document, form, who: handling.extend(
        document, form.dias.data, form.motivo.data, g.site, who)),
    "responder": ("answer", lambda document, form, who: handling.answer(document, form.respuesta.data, who)),
    "nota": ("note", lambda document, form, who: handling.add_note(document, form.nota.data, who)),
    "spam": ("empty", lambda document, form, who: handling.mark_spam(document, who)),
    "unir": ("merge", _merge),
    "publicar": ("faq", _publish),
    "retirar-pregunta": ("empty", lambda document, form, who: handling.withdraw_faq(document, who)),
}
