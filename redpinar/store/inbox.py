"""The inbox's view of submissions: one small row each, kept per file until it changes."""
from datetime import datetime, timezone

from ..text import fold_accents
from . import db
from .submissions import forwarding_dates, modify_submission, shard_paths

OPEN_STATUSES = ("received", "forwarded", "in_progress", "extended")


def _rows(submissions):
    return [{
        "id": submission["id"], "created": submission.get("created", ""), "due": submission.get("due") or "",
        "type": submission.get("type", ""), "status": submission.get("status", ""),
        "topic": submission.get("topic", ""), "entity": submission.get("entity", ""),
        "forwarded_to": submission.get("forwarded_to", ""), "municipality": submission.get("municipality", ""),
        "subject": submission.get("subject", ""), "open": submission.get("status") in OPEN_STATUSES,
        "merged_into": submission.get("merged_into", "") if submission.get("status") == "merged" else "",
        **forwarding_dates(submission),
        "news": citizen_news(submission),
        "example": submission.get("example") is True,
    } for submission in submissions]


def citizen_news(submission):
    """'reply' or 'reopened' when the citizen wrote since the webmaster last opened the message, else ''."""
    news = submission.get("citizen_news") or {}
    if news.get("at") and news["at"] > (submission.get("webmaster_seen") or ""):
        return news.get("kind", "reply")
    return ""


def _texts(submissions):
    # Folded once per file version, and only when someone searches.
    return {submission["id"]: fold_accents("\n".join(
        [submission.get("subject", ""), submission.get("message", "")]
        + [reply.get("text", "") for reply in submission.get("replies") or []]))
        for submission in submissions}


def search_texts():
    """{code: subject, message and replies, lower-case without accents} of every submission."""
    texts = {}
    for shard in shard_paths():
        texts.update(db.derived(shard, "inbox-texts", _texts, release=True))
    return texts


def _moment():
    # Finer than utc_now(): a reply and an opening in the same second must still be told apart.
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def note_citizen_news(document, kind):
    """Mark in a submission being changed that its citizen replied ('reply') or reopened it ('reopened')."""
    document["citizen_news"] = {"kind": kind, "at": _moment()}


def mark_seen(code):
    """The webmaster opened the message: what the citizen wrote so far is no longer news."""
    return modify_submission(code, lambda document: document.update(webmaster_seen=_moment()))


def inbox_rows():
    """A row for every submission, newest files last."""
    rows = []
    for shard in shard_paths():
        rows.extend(db.derived(shard, "inbox-rows", _rows, release=True))
    return rows


def merged_into(code):
    """The codes of the submissions merged into this one (their citizens read its answer)."""
    return [row["id"] for row in inbox_rows() if row["merged_into"] == code]
