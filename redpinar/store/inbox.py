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
        "merged_into": submission.get("merged_into", "") if submission.get("status") == "merged" else "",
        "example": submission.get("example") is True,
    } for submission in submissions]


def inbox_rows():
    """A row for every submission, newest files last."""
    rows = []
    for shard in shard_paths():
        rows.extend(db.derived(shard, "inbox-rows", _rows, release=True))
    return rows


def merged_into(code):
    """The codes of the submissions merged into this one (their citizens read its answer)."""
    return [row["id"] for row in inbox_rows() if row["merged_into"] == code]
