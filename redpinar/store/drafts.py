"""Half-written messages kept on the server so a dropped connection loses nothing."""
from datetime import datetime, timedelta, timezone

from tinydb import Query

from . import db
from .errors import NotFound
from .paths import data_path
from .submissions import new_tracking_code

KEEP_DAYS = 30


def drafts_path():
    """data/drafts.json."""
    return data_path("drafts.json")


def save_draft(fields, pin_hash, code=None):
    """Keep (or replace) a draft; returns its code."""
    with db.transaction(drafts_path()) as tinydb:
        if code and tinydb.get(Query().id == code):
            tinydb.update({"fields": fields, "pin_hash": pin_hash, "updated": db.utc_now()}, Query().id == code)
            return code
        code = new_tracking_code()
        while tinydb.get(Query().id == code):
            code = new_tracking_code()
        tinydb.insert(db.stamp_new({"id": code, "fields": fields, "pin_hash": pin_hash}))
        _forget_old(tinydb)
    return code


def get_draft(code):
    """A draft by its code, or NotFound."""
    with db.reading(drafts_path()) as tinydb:
        found = tinydb.get(Query().id == code)
    if found is None:
        raise NotFound(code)
    return found


def delete_draft(code):
    """Forget a draft (once it was sent)."""
    with db.transaction(drafts_path()) as tinydb:
        tinydb.remove(Query().id == code)


def _forget_old(tinydb):
    limit = (datetime.now(timezone.utc) - timedelta(days=KEEP_DAYS)).isoformat(timespec="seconds")
    tinydb.remove(Query().updated < limit)
