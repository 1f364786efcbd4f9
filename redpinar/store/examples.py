"""Example messages shipped with an example province: written at load time, removed on request.

An example province may hold messages.json: {"pin": "123456", "messages": [...]}, each message
written with dates relative to the day of loading ("received_days_ago", and steps "day" days
after receipt). They are stored through the store's own functions, marked `"example": true`,
so that a new install shows its inbox and figures at work and the examples can be told apart
and removed.
"""
import json
import os
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from tinydb import Query
from werkzeug.security import generate_password_hash

from . import db
from ..text import render_markdown
from .submissions import import_submissions, shard_paths

EXAMPLES_FILE = "messages.json"
# The same slow hash as a citizen's PIN (participation/cases.py).
PIN_HASH_METHOD = "scrypt:4096:8:1"
ACTOR = "webmaster"
OPEN_STATUSES = ("received", "forwarded", "in_progress", "extended")
CITIZEN_FIELDS = ("type", "topic", "entity", "municipality", "subject", "message", "name")
CITIZEN_DEFAULTS = {"answer_by": "codigo", "email": "", "phone": "", "confidential": False,
                    "publish_consent": False, "language": "es"}


def examples_file(province_folder):
    """The example messages file of a province folder (it may not exist)."""
    return os.path.join(province_folder, EXAMPLES_FILE)


def load_example_messages(province_folder, site, now=None):
    """Store the example messages of a province folder (replacing earlier examples); returns how many."""
    path = examples_file(province_folder)
    if not os.path.isfile(path):
        return 0
    with open(path, encoding="utf-8") as handle:
        shipped = json.load(handle)
    now = now or datetime.now(timezone.utc)
    pin_hash = generate_password_hash(str(shipped["pin"]), method=PIN_HASH_METHOD)
    documents = [example_message(spec, site, now, pin_hash) for spec in shipped["messages"]]
    # Loading again (after a load that stopped half-way) must not store a code twice.
    remove_examples()
    return import_submissions(documents)


def _limits(site):
    limits = {"answer_days": 30, "extension_days": 30}
    limits.update(site.get("legal_time_limits") or {})
    return limits


def example_message(spec, site, now, pin_hash):
    """The stored document of one example message, its dates counted back from now."""
    zone = _zone(site)
    limits = _limits(site)
    local_now = now.astimezone(zone)
    received_day = local_now.date() - timedelta(days=spec["received_days_ago"])
    # Spread the hours of the day so that the inbox does not show every message at the same minute.
    minutes = 8 * 60 + (sum(map(ord, spec["code"])) * 37) % (9 * 60)
    received = datetime.combine(received_day, time(minutes // 60, minutes % 60), tzinfo=zone)
    received = min(received, local_now - timedelta(minutes=30))

    def moment(day, order):
        at = received + timedelta(days=day, hours=order + 1)
        # A step of a recent example never lies in the future; later steps stay later.
        return _utc(min(at, local_now - timedelta(minutes=max(1, 30 - order))))

    document = {field: spec.get(field, "") for field in CITIZEN_FIELDS}
    document.update({field: spec.get(field, default) for field, default in CITIZEN_DEFAULTS.items()})
    document.update(
        id=spec["code"], created=_utc(received), example=True, status="received", pin_hash=pin_hash,
        due=(received_day + timedelta(days=limits["answer_days"])).isoformat(),
        history=[{"status": "received", "at": _utc(received), "note": ""}],
    )
    updated = document["created"]
    for order, step in enumerate(spec.get("steps", [])):
        updated = moment(step["day"], order)
        _apply(document, step, updated, limits)
    document["updated"] = updated
    return document


def _apply(document, step, at, limits):
    """One thing that happened to an example message, as the panel or the citizen would have done it."""
    def log(status, note=""):
        document["history"].append({"status": status, "at": at, "note": note, "by": ACTOR})

    if "forward" in step:
        document.update(forwarded_to=step["forward"], status="forwarded")
        log("forwarded", step["forward"])
    elif "status" in step:
        document["status"] = step["status"]
        log(step["status"])
    elif "extend" in step:
        new_due = datetime.fromisoformat(document["due"]).date() + timedelta(
            days=min(step["extend"], limits["extension_days"]))
        document["extension"] = {"reason": step["reason"], "from": document["due"], "to": new_due.isoformat(),
                                 "by": ACTOR}
        document.update(due=new_due.isoformat(), status="extended")
        log("extended", step["reason"])
    elif "answer" in step:
        document.update(answer=step["answer"], answer_html=render_markdown(step["answer"]), answered=at,
                        status="answered")
        log("answered")
    elif "reply" in step:
        document.setdefault("replies", []).append({"at": at, "text": step["reply"]})
        if document["status"] in ("answered", "closed"):
            document["status"] = "in_progress"
            document["history"].append({"status": "reopened", "at": at, "note": ""})
    elif "note" in step:
        document.setdefault("notes", []).append({"at": at, "by": ACTOR, "text": step["note"]})
    elif "faq" in step:
        document["faq"] = {"question": step["faq"]["question"], "answer": step["faq"]["answer"],
                           "answer_html": render_markdown(step["faq"]["answer"]), "published": at, "by": ACTOR}
    elif "merge" in step:
        document.update(status="merged", merged_into=step["merge"])
        log("merged")
    elif "spam" in step:
        document["status"] = "spam"
        log("spam")
    else:
        raise ValueError(f"unknown step in example {document['id']}: {step!r}")


def _zone(site):
    return ZoneInfo(site.get("timezone", "America/Havana"))


def _utc(moment):
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def remove_examples():
    """Remove every message marked as an example (their published questions go with them); returns how many.

    Only the files that hold examples are rewritten; real messages stay as they are.
    """
    removed = 0
    for shard in shard_paths():
        with db.reading(shard) as tinydb:
            if not any(stored.get("example") is True for stored in tinydb.all()):
                continue
        with db.transaction(shard) as tinydb:
            removed += len(tinydb.remove(Query().example == True))  # noqa: E712 (a TinyDB query)
    return removed


def count_examples():
    """How many example messages are stored."""
    total = 0
    for shard in shard_paths():
        total += db.derived(shard, "example-count", lambda documents: sum(
            1 for stored in documents if stored.get("example") is True), release=True)
    return total
