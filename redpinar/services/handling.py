"""What the office does with a request, and how any request is registered (online or assisted entry)."""
from datetime import datetime, timezone

from flask import g

from ..participation.cases import hash_pin, new_pin
from ..participation.deadlines import province_today
from ..store import codes
from ..store.requests import due_date, save_request, set_status
from .notices import notify_request


def register_request(procedure, form, answers, files, channel="web", language="es"):
    """Store a new request for a procedure (files already on disk) and email its receipt; returns (request, pin).

    The web form uses it, and so can the office's assisted entry (channel in_person, phone or letter).
    """
    questions = form["questions"]
    email = next((answers[q["key"]] for q in questions if q["type"] == "email" and answers.get(q["key"])), "")
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    pin = new_pin()
    saved = save_request({
        "id": codes.new_code(), "procedure": procedure["slug"], "form_version": form["version"],
        "questions": questions, "answers": answers,
        "files": [dict(entry, added=now, by="citizen" if channel == "web" else "office") for entry in files],
        "due": due_date(procedure, province_today(g.site), g.site).isoformat(),
        "channel": channel, "email": email, "language": language, "pin_hash": hash_pin(pin),
    })
    notify_request(saved, "received")
    return saved, pin


def change_status(code, status, actor, note=""):
    """Move a request to its next status (a note or reason where needed) and email the citizen; returns it."""
    changed = set_status(code, status, actor, note)
    notify_request(changed, status)
    return changed
