"""Failed password attempts per address and per (account, address) in data/throttle/logins.json.

The counts live in the data folder so that every server process on it sees the same ones.
They slow down one address with a growing wait and never lock an account for everyone:
the webmaster logging in from another address is not held back by a stranger's failures.
"""
import time

from tinydb import Query

from . import db
from .paths import data_path

FREE_FAILURES_PER_ACCOUNT = 5  # per (account, address)
FREE_FAILURES_PER_ADDRESS = 20  # all accounts from one address (guessing many accounts)
FIRST_WAIT_SECONDS = 60
LONGEST_WAIT_SECONDS = 15 * 60
FORGET_AFTER_SECONDS = 24 * 60 * 60
MOST_ENTRIES = 2000


def logins_path():
    """data/throttle/logins.json."""
    return data_path("throttle", "logins.json")


def _keys(username, address):
    return {"address:" + address: FREE_FAILURES_PER_ADDRESS,
            "account:" + username + "|" + address: FREE_FAILURES_PER_ACCOUNT}


def _wait(failures, free):
    """Seconds to wait after the last failure: 1, 2, 4 … minutes once the free failures are used, at most 15."""
    if failures < free:
        return 0
    return min(LONGEST_WAIT_SECONDS, FIRST_WAIT_SECONDS * 2 ** min(failures - free, 10))


def seconds_to_wait(username, address):
    """How long this address must wait before trying this account's password again (0: it may now)."""
    now = time.time()
    keys = _keys(username, address)
    with db.reading(logins_path()) as tinydb:
        entries = tinydb.search(Query().key.one_of(list(keys)))
    waits = [entry["last"] + _wait(entry["failures"], keys[entry["key"]]) - now for entry in entries]
    return max([0] + [int(wait) + 1 for wait in waits if wait > 0])


def record_failure(username, address):
    """Count one wrong password for the account from the address."""
    now = time.time()
    with db.transaction(logins_path()) as tinydb:
        tinydb.remove(Query().last < now - FORGET_AFTER_SECONDS)
        for key in _keys(username, address):
            entry = tinydb.get(Query().key == key)
            if entry:
                tinydb.update({"failures": entry["failures"] + 1, "last": now}, doc_ids=[entry.doc_id])
            else:
                tinydb.insert(db.stamp_new({"key": key, "failures": 1, "last": now}))
        if len(tinydb) > MOST_ENTRIES:
            # A flood of addresses must not grow the file without end: the stalest go first.
            stalest = sorted(tinydb.all(), key=lambda entry: entry["last"])[: len(tinydb) - MOST_ENTRIES]
            tinydb.remove(doc_ids=[entry.doc_id for entry in stalest])


def record_success(username, address):
    """Forget the account's failures from this address (the address's own count keeps decaying)."""
    key = "account:" + username + "|" + address
    with db.reading(logins_path()) as tinydb:
        if not tinydb.contains(Query().key == key):
            return  # the usual case: no file write on a clean login
    with db.transaction(logins_path()) as tinydb:
        tinydb.remove(Query().key == key)


def unlock(address=None):
    """Forget the failures of one address (every account from it), or of all; the number of entries removed."""
    with db.transaction(logins_path()) as tinydb:
        if address is None:
            removed = len(tinydb)
            tinydb.truncate()
            return removed
        matches = Query().key.test(lambda key: key == "address:" + address or key.endswith("|" + address))
        return len(tinydb.remove(matches))
