"""Citizen submissions, partitioned by month and cut into small files.

data/submissions/YYYY-MM/NNNN.json holds at most SHARD_SIZE submissions, so
saving one rewrites a small file whatever the number of earlier submissions:
the cost of a write stays flat as the archive grows.
"""
import copy
import json
import os
import re
import secrets
import threading
from datetime import datetime, timedelta

from flask import current_app
from tinydb import Query

from . import db
from .errors import InvalidName, NotFound, StoreCorrupt
from .paths import data_path
from .storage import file_signature

SHARD_SIZE = 100
# Shard files kept parsed for lookups (about 100 submissions each); the others are read again when asked for.
KEPT_SHARD_FILES = 64
KEPT_SHARDS = db.KeptParsed(KEPT_SHARD_FILES)
MONTH_FOLDER = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
SHARD_FILE = re.compile(r"^\d{4}\.json$")
SUBMISSION_ID = re.compile(r"^[A-Za-z0-9-]{4,40}$")
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


class _Index:
    """Which shard holds which submission id, kept current by file signatures."""

    def __init__(self):
        self.lock = threading.Lock()
        self.shard_of = {}
        self.seen = {}


_indexes = {}
_indexes_lock = threading.Lock()


def _index():
    root = os.path.realpath(submissions_root())
    with _indexes_lock:
        return _indexes.setdefault(root, _Index())


def submissions_root():
    """The folder of all submissions."""
    return data_path("submissions")


def shard_size():
    """How many submissions one file holds at most."""
    return int(current_app.config.get("SUBMISSION_SHARD_SIZE", SHARD_SIZE))


def month_folders():
    """Names of the month folders, oldest first."""
    try:
        names = os.listdir(submissions_root())
    except FileNotFoundError:
        return []
    return sorted(name for name in names if MONTH_FOLDER.match(name))


def shard_paths(month=None):
    """Every shard file (of one month, or all), oldest first."""
    months = [month] if month else month_folders()
    paths = []
    for name in months:
        if not MONTH_FOLDER.match(name):
            raise InvalidName(f"not a month: {name!r}")
        folder = os.path.join(submissions_root(), name)
        try:
            files = sorted(f for f in os.listdir(folder) if SHARD_FILE.match(f))
        except FileNotFoundError:
            continue
        paths.extend(os.path.join(folder, f) for f in files)
    return paths


def _current_shard(month):
    """The shard a new submission of this month goes to."""
    shards = shard_paths(month)
    if shards:
        last = shards[-1]
        with db.reading(last, KEPT_SHARDS) as tinydb:
            if len(tinydb) < shard_size():
                return last
        number = int(os.path.basename(last)[:4]) + 1
    else:
        number = 1
    return os.path.join(submissions_root(), month, f"{number:04d}.json")


def save_submission(fields):
    """Store a new submission durably (fsync'd) and return it; its `id` is its tracking code.

    Without an `id`, a new tracking code is drawn, and drawn again if already used.
    """
    fields = dict(fields)
    drawn = "id" not in fields
    if drawn:
        fields["id"] = new_tracking_code()
    document = db.stamp_new(fields)
    if not SUBMISSION_ID.match(document["id"]):
        raise InvalidName(f"not a submission id: {document['id']!r}")
    month = document["created"][:7]
    shard = _current_shard(month)
    index = _index()
    with db.transaction(shard, KEPT_SHARDS) as tinydb:
        ids_in_shard = [stored["id"] for stored in tinydb.all()]
        # A drawn code is checked against every code this process knows and the file it joins.
        # About 40 random bits: a clash with a code written elsewhere since the last look is
        # less likely than a disk error, so the whole archive is not read again for it.
        while drawn and (document["id"] in ids_in_shard or document["id"] in index.shard_of):
            document["id"] = new_tracking_code()
        tinydb.insert(document)
        ids_in_shard.append(document["id"])
    with index.lock:
        for submission_id in ids_in_shard:
            index.shard_of[submission_id] = shard
    return document


def _refresh_index(index):
    """Index the codes of shards written since the last look.

    A month folder whose modification time is unchanged holds no new or replaced
    shard (every write renames a file into it), so only changed months are listed.
    Shards are parsed just for their ids and not kept in memory: a lookup should
    not hold the whole archive.
    """
    for month in month_folders():
        folder = os.path.join(submissions_root(), month)
        try:
            folder_signature = os.stat(folder).st_mtime_ns
        except FileNotFoundError:
            continue
        if index.seen.get(folder) == folder_signature:
            continue
        for shard in shard_paths(month):
            try:
                signature = file_signature(os.stat(shard))
            except FileNotFoundError:
                continue
            if index.seen.get(shard) == signature:
                continue
            for submission_id in _ids_in(shard):
                index.shard_of[submission_id] = shard
            index.seen[shard] = signature
        index.seen[folder] = folder_signature


def _ids_in(shard):
    """The submission ids in a shard file, read straight from disk."""
    try:
        with open(shard, "rb") as handle:
            tables = json.loads(handle.read() or b"{}")
    except FileNotFoundError:
        return []
    except ValueError as error:
        raise StoreCorrupt(shard, str(error)) from error
    return [document.get("id") for table in tables.values() for document in table.values()]


def _shard_of(submission_id):
    if not isinstance(submission_id, str) or not SUBMISSION_ID.match(submission_id):
        raise NotFound(submission_id)
    index = _index()
    with index.lock:
        shard = index.shard_of.get(submission_id)
        if shard is None:
            _refresh_index(index)
            shard = index.shard_of.get(submission_id)
    if shard is None:
        raise NotFound(submission_id)
    return shard


def get_submission(submission_id):
    """One submission by its id (tracking code), or NotFound."""
    with db.reading(_shard_of(submission_id), KEPT_SHARDS) as tinydb:
        found = tinydb.get(Query().id == submission_id)
    if found is None:
        raise NotFound(submission_id)
    return found


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
    with db.transaction(_shard_of(submission_id), KEPT_SHARDS) as tinydb:
        if not tinydb.update(changes, Query().id == submission_id):
            raise NotFound(submission_id)
        return tinydb.get(Query().id == submission_id)


def modify_submission(submission_id, modify):
    """Apply modify(document) to a copy of one submission and store it, all under one lock.

    modify may raise to cancel the change; the new version is returned.
    """
    with db.transaction(_shard_of(submission_id), KEPT_SHARDS) as tinydb:
        current = tinydb.get(Query().id == submission_id)
        if current is None:
            raise NotFound(submission_id)
        changed = copy.deepcopy(dict(current))
        modify(changed)
        changed["id"], changed["created"] = current["id"], current["created"]
        changed["updated"] = db.utc_now()
        tinydb.update(lambda stored: (stored.clear(), stored.update(changed)), Query().id == submission_id)
        return changed


def iter_submissions(month=None):
    """Every submission (of one month, or all), oldest shard first."""
    for shard in shard_paths(month):
        with db.reading(shard, KEPT_SHARDS) as tinydb:
            yield from tinydb.all()


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
    by_month = {}
    for submission in submissions:
        by_month.setdefault(submission["created"][:7], []).append(db.stamp_new(submission))
    size = shard_size()
    written = 0
    for month in sorted(by_month):
        pending = by_month[month]
        while pending:
            shard = _current_shard(month)
            with db.transaction(shard, KEPT_SHARDS) as tinydb:
                room = size - len(tinydb)
                batch, pending = pending[:room], pending[room:]
                tinydb.insert_multiple(batch)
            written += len(batch)
    return written
