"""Citizen submissions, partitioned by month and cut into small files.

data/submissions/YYYY-MM/NNNN.json holds at most SHARD_SIZE submissions (store/monthshards.py), so
saving one rewrites a small file whatever the number of earlier submissions: the cost of a write
stays flat as the archive grows.
"""
import secrets
from datetime import datetime, timedelta

from flask import current_app
from tinydb import Query

from . import db
from .errors import NotFound
from .monthshards import MonthShards

SHARD_SIZE = 100
# Shard files kept parsed for lookups (about 100 submissions each); the others are read again when asked for.
KEPT_SHARD_FILES = 64
# Tracking codes are read aloud and typed on phones: no 0/O, no 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
# Messages stored before the forwarding deadline was kept with them get the legal default.
DEFAULT_FORWARD_DAYS = 5


def new_tracking_code():
    """A random code such as 'K7X9-P2MQ' (31^8, about 40 bits)."""
    characters = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return characters[:4] + "-" + characters[4:]


def normalise_code(typed):
    """What a citizen typed ('k7x9 p2mq') as a stored code ('K7X9-P2MQ'), or '' when it cannot be one."""
    characters = "".join(character for character in str(typed or "").upper() if character.isalnum())
    if len(characters) != CODE_LENGTH or any(character not in CODE_ALPHABET for character in characters):
        return ""
    return characters[:4] + "-" + characters[4:]


def shard_size():
    """How many submissions one file holds at most."""
    return int(current_app.config.get("SUBMISSION_SHARD_SIZE", SHARD_SIZE))


SHARDS = MonthShards("submissions", size=shard_size, kept_files=KEPT_SHARD_FILES)
KEPT_SHARDS = SHARDS.kept


def submissions_root():
    """The folder of all submissions."""
    return SHARDS.root()


def month_folders():
    """Names of the month folders, oldest first."""
    return SHARDS.months()


def shard_paths(month=None):
    """Every shard file (of one month, or all), oldest first."""
    return SHARDS.shard_paths(month)


def save_submission(fields):
    """Store a new submission durably (fsync'd) and return it; its `id` is its tracking code.

    Without an `id`, a new tracking code is drawn, and drawn again if already used.
    """
    fields = dict(fields)
    drawn = "id" not in fields
    if drawn:
        fields["id"] = new_tracking_code()
    return SHARDS.insert(db.stamp_new(fields), redraw=new_tracking_code if drawn else None)


def get_submission(submission_id):
    """One submission by its id (tracking code), or NotFound."""
    return SHARDS.get(submission_id)


def forwarding_dates(submission):
    """{"forward_by": last day to reach the competent entity, "forwarded_on": day first forwarded or ""}."""
    forward_by = submission.get("forward_by") or ""
    if not forward_by and submission.get("created"):
        received = datetime.fromisoformat(submission["created"]).date()
        forward_by = (received + timedelta(days=DEFAULT_FORWARD_DAYS)).isoformat()
    forwarded_on = submission.get("forwarded_on") or next(
        (step.get("at", "")[:10] for step in submission.get("history") or [] if step.get("status") == "forwarded"), "")
    return {"forward_by": forward_by, "forwarded_on": forwarded_on}


def update_submission(submission_id, changes):
    """Apply changes to one submission in one atomic write and return the new version."""
    changes = dict(changes, updated=db.utc_now())
    for fixed in ("id", "created", "schema"):
        changes.pop(fixed, None)
    with db.transaction(SHARDS.shard_of(submission_id), KEPT_SHARDS) as tinydb:
        if not tinydb.update(changes, Query().id == submission_id):
            raise NotFound(submission_id)
        return tinydb.get(Query().id == submission_id)


def modify_submission(submission_id, modify):
    """Apply modify(document) to a copy of one submission and store it, all under one lock.

    modify may raise to cancel the change; the new version is returned.
    """
    return SHARDS.modify(submission_id, modify)


def iter_submissions(month=None):
    """Every submission (of one month, or all), oldest shard first."""
    return SHARDS.all(month)


def count_submissions():
    """How many submissions are stored."""
    total = 0
    for shard in shard_paths():
        with db.reading(shard, KEPT_SHARDS) as tinydb:
            total += len(tinydb)
    return total


def import_submissions(submissions):
    """Store many existing submissions at once (restores, benchmarks): one write per shard file.

    Each submission must already carry its id and dates; they are filed by the
    month of `created` after the submissions already there.
    """
    return SHARDS.import_many(db.stamp_new(submission) for submission in submissions)
