"""Online requests: a procedure started from home, followed with a code and PIN to the end.

data/requests/YYYY-MM/NNNN.json, at most 100 requests a file (flat write cost). A request (schema 1):
    id            its tracking code (one namespace with messages and appointments)
    procedure     the procedure's slug
    form_version  the version of the form it answered
    questions     a copy of the questions as they were asked (the form may change later)
    answers       {question key: answer}; text, number and date as text, "choice" the option's index,
                  "choices" a list of indexes, "yes_no" and "declaration" true/false,
                  "address" {"municipality": slug, "street": text}, "file" a file's id
    files         [{"id", "question", "name", "type", "bytes", "sha256", "path", "added", "by"}]
    status        received -> in_review -> more_info -> ready | refused -> closed
    history       [{"status", "at", "by", "note"}]: who and when, the note or reason shown to the citizen
    notes         [{"at", "by", "text"}]: internal, never shown to the citizen
    more_info     [{"at", "text", "files": [ids]}]: what the citizen added when asked
    due           the day it should be resolved: the procedure's `resolve_days`, else the legal default
    channel       web | in_person | phone | letter
    email, language, pin_hash
"""
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from . import NotFound, db
from .monthshards import MonthShards

SCHEMA = 1
SHARDS = MonthShards("requests")
STATUSES = ("received", "in_review", "more_info", "ready", "refused", "closed")
OPEN_STATUSES = ("received", "in_review", "more_info")
CHANNELS = ("web", "in_person", "phone", "letter")
# Which status may follow which; the citizen answering a request for more information puts it back in review.
NEXT_STATUSES = {
    "received": ("in_review", "more_info", "ready", "refused", "closed"),
    "in_review": ("more_info", "ready", "refused", "closed"),
    "more_info": ("in_review", "ready", "refused", "closed"),
    "ready": ("closed",),
    "refused": ("closed",),
    "closed": (),
}
# What the citizen must be told: a note to ask for information, a reason to refuse.
NOTE_REQUIRED = {"more_info": _l("Diga qué información falta."), "refused": _l("Diga el motivo del rechazo.")}
PERSONAL_FIELDS = ("answers", "email", "more_info")
NOTES_PER_REQUEST = 200
MORE_INFO_PER_REQUEST = 20


class NotAllowed(ValueError):
    """A change the request's rules do not allow (a status out of order, a refusal without reason)."""


def due_date(procedure, received, site):
    """The day a request should be resolved: `resolve_days` of the procedure, else the legal default."""
    days = procedure.get("resolve_days")
    if not isinstance(days, int) or isinstance(days, bool) or days <= 0:
        days = dict({"answer_days": 30}, **(site.get("legal_time_limits") or {}))["answer_days"]
    return received + timedelta(days=days)


def save_request(fields):
    """Store a new request (its `id` is a code from codes.new_code()) durably; returns it.

    Its files must already be on disk: the receipt is only shown once both are.
    """
    document = db.stamp_new(dict(fields), schema=SCHEMA)
    document.setdefault("status", "received")
    document.setdefault("channel", "web")
    document.setdefault("history", [{"status": "received", "at": document["created"], "by": "", "note": ""}])
    document.setdefault("notes", [])
    document.setdefault("more_info", [])
    if document["channel"] not in CHANNELS:
        raise NotAllowed(document["channel"])
    return SHARDS.insert(document)


def get_request(code):
    """One request by its code, or NotFound."""
    return SHARDS.get(code)


def find_request(code):
    """One request by its code, or None (for the namespace of tracking codes)."""
    try:
        return get_request(code)
    except NotFound:
        return None


def set_status(code, status, actor, note=""):
    """Move a request to its next status with the note or reason the citizen reads; returns it.

    NotAllowed when the status cannot follow the current one, or a note is missing where one is needed.
    """
    note = (note or "").strip()
    if status in NOTE_REQUIRED and not note:
        raise NotAllowed(NOTE_REQUIRED[status])

    def change(document):
        if status not in NEXT_STATUSES.get(document.get("status"), ()):
            raise NotAllowed(_l("Una solicitud en este estado no puede pasar a ese."))
        document["status"] = status
        document.setdefault("history", []).append({"status": status, "at": db.utc_now(), "by": actor, "note": note})
        if status in ("ready", "refused") and not document.get("resolved"):
            document["resolved"] = db.utc_now()

    return SHARDS.modify(code, change)


def add_internal_note(code, text, actor):
    """An internal note of the office, never shown to the citizen; returns the request."""
    text = (text or "").strip()
    if not text:
        raise NotAllowed(_l("Escriba la nota."))

    def change(document):
        if len(document.get("notes") or []) >= NOTES_PER_REQUEST:
            raise NotAllowed(_l("Esta solicitud ya tiene demasiadas notas."))
        document.setdefault("notes", []).append({"at": db.utc_now(), "by": actor, "text": text})

    return SHARDS.modify(code, change)


def add_more_info(code, text, files):
    """The citizen's answer to a request for more information (text and file entries already on disk).

    The request goes back to review; NotAllowed unless more information was asked.
    """
    def change(document):
        if document.get("status") != "more_info":
            raise NotAllowed(_l("Esta solicitud no espera más información."))
        if len(document.get("more_info") or []) >= MORE_INFO_PER_REQUEST:
            raise NotAllowed(_l("Esta solicitud ya recibió demasiadas respuestas."))
        now = db.utc_now()
        for entry in files:
            document.setdefault("files", []).append(dict(entry, added=now, by="citizen"))
        document.setdefault("more_info", []).append({"at": now, "text": text, "files": [f["id"] for f in files]})
        document["status"] = "in_review"
        document.setdefault("history", []).append({"status": "in_review", "at": now, "by": "citizen",
                                                   "note": ""})

    return SHARDS.modify(code, change)


def list_requests(procedure=None, status=None, month=None):
    """Requests, newest first, filtered by procedure slug, status (or a tuple of them) and month YYYY-MM."""
    statuses = (status,) if isinstance(status, str) else status
    found = [document for document in SHARDS.all(month)
             if (procedure is None or document.get("procedure") == procedure)
             and (statuses is None or document.get("status") in statuses)]
    return sorted(found, key=lambda document: document.get("created", ""), reverse=True)


def iter_requests(month=None):
    """Every request (of one month, or all), oldest file first."""
    return SHARDS.all(month)


def count_requests():
    """How many requests are stored."""
    return sum(1 for _ in SHARDS.all())


def import_requests(documents):
    """Store many complete requests at once (benchmarks, restores)."""
    SHARDS.import_many([db.stamp_new(dict(document), schema=SCHEMA) for document in documents])


def days_left(request_document, today=None):
    """Days until the request is due (negative: late); None once it is resolved."""
    if request_document.get("status") not in OPEN_STATUSES or not request_document.get("due"):
        return None
    return (date.fromisoformat(request_document["due"]) - (today or date.today())).days


def anonymise_requests_older_than(cutoff, remove_file):
    """Remove answers, email and files of requests received before cutoff (ISO date); returns how many.

    The documents are rewritten first, then remove_file(entry) deletes each file: a crash in between
    leaves files no request names, which the sweep of request files removes.
    """
    removed = []

    def change(document):
        if document.get("created", "") >= cutoff or document.get("anonymised"):
            return False
        removed.extend(document.get("files") or [])
        document.update(answers={}, email="", more_info=[], files=[], anonymised=db.utc_now(),
                        updated=db.utc_now())
        return True

    changed = SHARDS.change_each(change, months_until=cutoff[:7])
    for entry in removed:
        remove_file(entry)
    return changed


def online_form(procedure):
    """The newest form of a procedure that takes online requests, or None."""
    from .request_forms import form_slug, latest_form
    if not procedure or procedure.get("online") is not True:
        return None
    try:
        return latest_form(form_slug(procedure))
    except NotFound:
        return None
