"""Half-written messages kept on the server so a dropped connection loses nothing.

Each draft is its own file, data/drafts/<CODE>.json, written atomically: saving one never
rewrites anyone else's. Drafts untouched for 30 days are removed by a sweep that runs at most
once an hour per running app (and by `flask purge`), not on every save.

Installs from before kept every draft in data/drafts.json; that file is moved into the
folder once, the first time drafts are used, and then removed.
"""
import json
import os
import re
import threading
import time
from datetime import datetime, timedelta, timezone

from flask import current_app

from . import db
from .errors import InvalidName, NotFound, StoreCorrupt, StoreWriteError
from .paths import data_path
from .storage import atomic_write_bytes
from .submissions import CODE_ALPHABET, new_tracking_code

KEEP_DAYS = 30
SWEEP_EVERY_SECONDS = 3600
DRAFT_CODE = re.compile(rf"^[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}$")
DRAFT_FILE = re.compile(rf"^[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}\.json$")

_sweeps_lock = threading.Lock()
_migration_lock = threading.Lock()


def drafts_folder():
    """data/drafts/, one file per draft."""
    return data_path("drafts")


def legacy_drafts_path():
    """data/drafts.json, where drafts lived before they had a file each."""
    return data_path("drafts.json")


def draft_path(code):
    """The file of one draft; the code is checked before it comes near the disk."""
    if not isinstance(code, str) or not DRAFT_CODE.match(code):
        raise InvalidName(f"not a draft code: {code!r}")
    return os.path.join(drafts_folder(), code + ".json")


def _write(path, document):
    payload = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    atomic_write_bytes(path, payload)


def _read(path):
    try:
        with open(path, "rb") as handle:
            document = json.loads(handle.read())
    except FileNotFoundError:
        return None
    except ValueError as error:
        raise StoreCorrupt(path, str(error)) from error
    if not isinstance(document, dict):
        raise StoreCorrupt(path, "the top level is not an object")
    return document


def save_draft(fields, pin_hash, started):
    """Keep a new draft (fields, PIN hash, when the form was first opened, ISO UTC); returns its code."""
    _migrate_legacy_file()
    document = db.stamp_new({"fields": fields, "pin_hash": pin_hash, "started": started})
    code = new_tracking_code()
    while os.path.exists(draft_path(code)):
        code = new_tracking_code()
    document["id"] = code
    _write(draft_path(code), document)
    _sweep_now_and_then()
    return code


def get_draft(code):
    """A draft by its code, or NotFound."""
    _migrate_legacy_file()
    try:
        path = draft_path(code)
    except InvalidName as error:
        raise NotFound(code) from error
    found = _read(path)
    if found is None:
        raise NotFound(code)
    return found


def delete_draft(code):
    """Forget a draft (once it was sent); NotFound when there is none."""
    try:
        os.unlink(draft_path(code))
    except InvalidName as error:
        raise NotFound(code) from error
    except FileNotFoundError as error:
        raise NotFound(code) from error


def forget_expired_drafts(now=None):
    """Remove drafts not saved for KEEP_DAYS days; returns how many went."""
    _migrate_legacy_file()
    now = now or datetime.now(timezone.utc)
    limit = now - timedelta(days=KEEP_DAYS)
    try:
        names = [name for name in os.listdir(drafts_folder()) if DRAFT_FILE.match(name)]
    except FileNotFoundError:
        return 0
    removed = 0
    for name in names:
        path = os.path.join(drafts_folder(), name)
        try:
            # A file written since the limit holds a draft saved since then: no need to open it.
            if os.stat(path).st_mtime > limit.timestamp():
                continue
            document = _read(path) or {}
        except (FileNotFoundError, StoreCorrupt):
            document = {}
        if str(document.get("updated", "")) >= limit.isoformat(timespec="seconds"):
            continue
        try:
            os.unlink(path)
            removed += 1
        except FileNotFoundError:
            pass
    return removed


def _sweep_now_and_then():
    """Remove expired drafts if this app has not looked in the last hour."""
    now = time.monotonic()
    with _sweeps_lock:
        last_sweeps = current_app.extensions.setdefault("redpinar_draft_sweeps", {})
        last = last_sweeps.get(drafts_folder())
        if last is not None and now - last < SWEEP_EVERY_SECONDS:
            return
        last_sweeps[drafts_folder()] = now
    forget_expired_drafts()


def _migrate_legacy_file():
    """Move the drafts of an older install's data/drafts.json into a file each, then remove it."""
    legacy = legacy_drafts_path()
    if not os.path.exists(legacy):
        return
    with _migration_lock:
        if not os.path.exists(legacy):
            return
        with db.transaction(legacy) as tinydb:
            for document in tinydb.all():
                code = document.get("id")
                if not isinstance(code, str) or not DRAFT_CODE.match(code):
                    continue
                path = draft_path(code)
                if not os.path.exists(path):
                    _write(path, dict(document))
            try:
                os.unlink(legacy)
            except FileNotFoundError:
                pass
            except OSError as error:
                raise StoreWriteError(legacy, error) from error


def iter_drafts():
    """Every stored draft (unreadable files skipped)."""
    try:
        names = sorted(name for name in os.listdir(drafts_folder()) if DRAFT_FILE.match(name))
    except FileNotFoundError:
        return
    for name in names:
        try:
            document = _read(os.path.join(drafts_folder(), name))
        except StoreCorrupt:
            continue
        if document is not None:
            yield document
