"""The webmaster's open sessions in data/sessions.json, so that logging out ends them on the server.

The browser's signed cookie holds a random session id; only its hash is stored here, with
the time of the login. A cookie copied before a logout, a password change or a new
`create-admin` finds no matching entry and opens nothing.
"""
import hashlib
import secrets
import time

from tinydb import Query

from . import db
from .paths import data_path

LIFETIME_SECONDS = 12 * 60 * 60
SESSIONS_PER_ACCOUNT = 10


def sessions_path():
    """data/sessions.json (kept apart from users.json, whose version keys the public page cache)."""
    return data_path("sessions.json")


def _digest(session_id):
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def open_session(username):
    """Record a new session of the account and return its id (for the signed cookie)."""
    session_id = secrets.token_urlsafe(32)
    now = int(time.time())
    with db.transaction(sessions_path()) as tinydb:
        tinydb.remove(Query().since.test(lambda since: not isinstance(since, int) or now - since >= LIFETIME_SECONDS))
        own = sorted(tinydb.search(Query().username == username), key=lambda entry: entry["since"])
        # An account keeps its newest sessions; the oldest go first.
        surplus = own[: max(0, len(own) - SESSIONS_PER_ACCOUNT + 1)]
        if surplus:
            tinydb.remove(doc_ids=[entry.doc_id for entry in surplus])
        tinydb.insert(db.stamp_new({"username": username, "hash": _digest(session_id), "since": now}))
    return session_id


def session_is_open(username, session_id):
    """True while the session was opened by this account, not closed, and is under 12 hours old."""
    if not isinstance(session_id, str) or not isinstance(username, str):
        return False
    digest = _digest(session_id)
    with db.reading(sessions_path()) as tinydb:
        entry = tinydb.get((Query().hash == digest) & (Query().username == username))
    return bool(entry) and 0 <= int(time.time()) - entry["since"] < LIFETIME_SECONDS


def close_session(username, session_id):
    """End one session (logout, idle time)."""
    if not isinstance(session_id, str):
        return
    digest = _digest(session_id)
    with db.transaction(sessions_path()) as tinydb:
        tinydb.remove((Query().hash == digest) & (Query().username == username))


def close_sessions(username, keep=None):
    """End every session of the account except the one with id `keep`; the number ended."""
    kept = _digest(keep) if isinstance(keep, str) else None
    with db.transaction(sessions_path()) as tinydb:
        return len(tinydb.remove((Query().username == username) & (Query().hash != kept)))
