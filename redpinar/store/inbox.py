"""The inbox's view of submissions: one small row each, kept per file until it changes."""
from . import db
from .submissions import shard_paths

OPEN_STATUSES = ("received", "forwarded", "in_progress", "extended")


def _rows(submissions):
    return [{
        "id": submission["id"], "created": submission.get("created", ""), "due": submission.get("due") or "",
        "type": submission.get("type", ""), "status": submission.get("status", ""),
        "topic": submission.get("topic", ""), "entity": submission.get("entity", ""),
        "forwarded_to": submission.get("forwarded_to", ""), "municipality": submission.get("municipality", ""),
        "subject": submission.get("subject", ""), "open": submission.get("status") in OPEN_STATUSES,
    } for submission in submissions]


def inbox_rows():
    """A row for every submission, newest files last."""
    rows = []
    for shard in shard_paths():
        rows.extend(db.derived(shard, "inbox-rows", _rows, release=True))
    return rows
