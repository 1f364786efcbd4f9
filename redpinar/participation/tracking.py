"""Following a submission with its tracking code and PIN, answering back, and one's own data."""
import json
from datetime import date, datetime, timedelta

from flask import abort, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l

from ..limits import window
from ..security import client_address
from ..store import NotFound, catalogue, codes
from ..mail import notify_webmaster
from ..store.db import utc_now
from ..store.inbox import note_citizen_news
from ..store.submissions import get_submission, modify_submission, normalise_code
from . import bp
from .cases import clean_text, pin_matches
from .deadlines import days_left
from .forms import STATUS_NAMES, SUBMISSION_TYPES, CodeAndPinForm, EraseForm, FeedbackForm, ReplyForm
from .handling import withdraw_by_citizen
from .personal import citizen_view

WRONG_PINS_PER_CODE = 5
WRONG_PINS_PER_ADDRESS = 20
LOCK_SECONDS = 15 * 60
REOPEN_DAYS = 30
# A reply to a case in these statuses reopens it; in an open case it only adds to it.
REOPENABLE = ("answered", "closed")
# A reply lands in the shard file shared with other citizens' messages: bounded in size
# (the form's 5000 characters), in rate and in number.
REPLIES_PER_CODE_PER_HOUR = 5
REPLIES_PER_ADDRESS_PER_HOUR = 20
REPLIES_PER_MESSAGE = 20
CODES_REMEMBERED = 5
MERGES_FOLLOWED = 5


def remember_code(code):
    """This visitor gave the PIN of `code`: its pages open for them until the session ends."""
    known = [other for other in session.get("tracking", []) if other != code] + [code]
    session["tracking"] = known[-CODES_REMEMBERED:]


def code_allowed(code):
    """True when this visitor gave the PIN of `code` or just received it."""
    return code in session.get("tracking", []) or code in session.get("receipts", {})


@bp.route("/seguimiento/", methods=["GET", "POST"])
def tracking():
    """Code and PIN in; the submission's page out. Wrong PINs are throttled per code and address."""
    form = CodeAndPinForm()
    problem = None
    status = 200
    if request.method == "POST" and form.validate():
        code = normalise_code(form.codigo.data)
        per_code = window("tracking-code", WRONG_PINS_PER_CODE, LOCK_SECONDS)
        per_address = window("tracking-address", WRONG_PINS_PER_ADDRESS, LOCK_SECONDS)
        address = client_address()
        if per_code.exceeded(code) or per_address.exceeded(address):
            minutes = max(per_code.retry_after(code), per_address.retry_after(address)) // 60 + 1
            problem, status = _l("Demasiados intentos con un PIN equivocado. Espere %(minutes)d minutos.",
                                 minutes=minutes), 429
        else:
            _kind, document, endpoint = codes.find(code)
            if document and pin_matches(document.get("pin_hash"), form.pin.data):
                per_code.clear(code)
                remember_code(code)
                return redirect(url_for(endpoint, code=code), 303)
            per_code.hit(code)
            per_address.hit(address)
            problem, status = _l("El código o el PIN no son correctos. Revíselos: el código tiene la forma K7X9-P2MQ."), 400
    elif request.method == "POST":
        status = 400
    return render_template("participation/tracking.html", form=form, problem=problem), status


def _followed_submission(code):
    """The submission behind a code this visitor has opened with its PIN, else 404."""
    if not code_allowed(code):
        abort(404)
    return get_submission(code)


def can_reopen(submission, today=None):
    """A citizen may reply or reopen within 30 days of the answer."""
    answered = submission.get("answered")
    if not answered:
        return submission.get("status") not in ("closed", "spam", "merged", "deleted", "withdrawn")
    today = today or date.today()
    return (today - datetime.fromisoformat(answered).date()).days <= REOPEN_DAYS


def shared_answer(submission):
    """For a message merged into another: the answer given there (date and text only), or None.

    Read when the page is shown, so an answer given or corrected after the merge is seen too.
    """
    kept = submission
    for _ in range(MERGES_FOLLOWED):
        if kept.get("status") != "merged" or not kept.get("merged_into"):
            break
        try:
            kept = get_submission(kept["merged_into"])
        except NotFound:
            return None
    if kept is submission or not kept.get("answer_html"):
        return None
    return {"answered": kept.get("answered"), "answer_html": kept["answer_html"]}


@bp.route("/seguimiento/<code>/")
def follow(code, reply_form=None, reply_problem=None):
    """Type, subject, status history, the answer and the days left or overdue (with a refused reply, its text)."""
    submission = _followed_submission(code)
    return render_template(
        "participation/follow.html", submission=citizen_view(submission), shared_answer=shared_answer(submission),
        types=SUBMISSION_TYPES, statuses=STATUS_NAMES,
        entity=catalogue.optional("entities", submission.get("entity")),
        forwarded=catalogue.optional("entities", submission.get("forwarded_to")),
        left=days_left(submission), reply_form=reply_form if reply_form is not None else ReplyForm(),
        reply_problem=reply_problem, feedback_form=FeedbackForm(),
        reopen=can_reopen(submission), reopens=submission.get("status") in REOPENABLE,
    )


class _TooManyReplies(Exception):
    """The message already holds as many replies as one message may."""


@bp.route("/seguimiento/<code>/responder", methods=["POST"])
def reply(code):
    """Add to a submission; after an answer, this reopens it (within 30 days). A refusal keeps the text."""
    submission = _followed_submission(code)
    form = ReplyForm()
    if not form.validate():
        return follow(code, form), 400
    if not can_reopen(submission):
        return follow(code, form, _l("Ya no se puede responder a este mensaje.")), 400
    per_code = window("replies-code", REPLIES_PER_CODE_PER_HOUR, 3600)
    per_address = window("replies-address", REPLIES_PER_ADDRESS_PER_HOUR, 3600)
    address = client_address()
    if per_code.exceeded(code) or per_address.exceeded(address):
        return follow(code, form, _l(
            "Ya recibimos varias respuestas en la última hora. Su texto sigue aquí: espere un rato y "
            "envíelo de nuevo.")), 429
    full = _l("Este mensaje ya tiene %(count)d añadidos, el máximo. Si tiene algo nuevo que contar, "
              "envíe un mensaje nuevo.", count=REPLIES_PER_MESSAGE)
    if len(submission.get("replies") or []) >= REPLIES_PER_MESSAGE:
        return follow(code, form, full), 400
    text = clean_text(form.texto.data)

    def add_reply(document):
        if len(document.get("replies") or []) >= REPLIES_PER_MESSAGE:
            raise _TooManyReplies(code)
        document.setdefault("replies", []).append({"at": utc_now(), "text": text})
        note_citizen_news(document, "reply")
        if document.get("status") in REOPENABLE:
            document["status"] = "in_progress"
            document.setdefault("history", []).append({"status": "reopened", "at": utc_now(), "note": ""})
            note_citizen_news(document, "reopened")

    try:
        changed = modify_submission(code, add_reply)
    except _TooManyReplies:
        return follow(code, form, full), 400
    per_code.hit(code)
    per_address.hit(address)
    notify_webmaster(changed, changed["citizen_news"]["kind"])
    return redirect(url_for("participation.follow", code=code, _anchor="respuestas"), 303)


@bp.route("/seguimiento/<code>/valoracion", methods=["POST"])
def feedback(code):
    """Did the answer solve it?"""
    _followed_submission(code)
    form = FeedbackForm()
    if form.validate():
        solved = form.resuelto.data == "si"
        modify_submission(code, lambda document: document.update(solved=solved, solved_at=utc_now()))
    return redirect(url_for("participation.follow", code=code), 303)


@bp.route("/seguimiento/<code>/mis-datos.json")
def my_data(code):
    """Everything kept about the citizen's submission (not the PIN hash, not internal notes, not another
    message's code; the role that acted, not the account)."""
    submission = _followed_submission(code)
    public = citizen_view(submission)
    merged_answer = shared_answer(submission)
    if merged_answer:
        public["answer_of_the_merged_message"] = merged_answer
    return json.dumps(public, ensure_ascii=False, indent=1), 200, {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{code}.json"',
        "Cache-Control": "no-store",
    }


@bp.route("/seguimiento/<code>/borrar", methods=["GET", "POST"])
def erase(code):
    """Delete the citizen's personal data after a confirmation page that says what it means; the case is
    closed as withdrawn and the anonymous facts stay for the public figures."""
    submission = _followed_submission(code)
    if submission.get("erased"):
        return redirect(url_for("participation.follow", code=code), 303)
    form = EraseForm()
    if request.method == "POST":
        if not form.validate():
            abort(400)
        if form.confirmar.data == "si":
            modify_submission(code, withdraw_by_citizen)
            return redirect(url_for("participation.follow", code=code, _anchor="datos"), 303)
    return render_template("participation/erase.html", submission=citizen_view(submission), form=form,
                           open_case=days_left(submission) is not None)


def reopen_deadline(submission):
    """The last day a citizen may reply after an answer."""
    answered = submission.get("answered")
    return (datetime.fromisoformat(answered).date() + timedelta(days=REOPEN_DAYS)) if answered else None
