"""Rate limits counted in the data folder (data/throttle/<name>.json), shared by every server process.

Counted in memory, N processes would each allow the full allowance: N times the messages,
N times the PIN guesses. Each hit is one atomic write of a small file; a check only reads.
The file stays small whatever comes: a key keeps at most `limit` event times, keys whose
events all left the window are dropped on the next hit, and beyond MOST_KEYS the stalest go.
"""
import time

from tinydb import Query

from . import db
from .paths import data_path, safe_file_name

MOST_KEYS = 2000


def counts_path(name):
    """data/throttle/<name>.json (kept out of backups with the rest of data/throttle)."""
    return data_path("throttle", safe_file_name(name + ".json"))


class SharedWindow:
    """At most `limit` events per key in the last `seconds`, counted in the data folder.

    With enabled False (RATE_LIMITS off, for load tests) nothing is ever exceeded or written.
    """

    def __init__(self, name, limit, seconds, enabled=True):
        self.path = counts_path(name)
        self.limit = limit
        self.seconds = seconds
        self.enabled = enabled

    def _recent(self, key, now):
        """The key's event times still inside the window, oldest first."""
        with db.reading(self.path) as tinydb:
            entry = tinydb.get(Query().key == key)
        return [moment for moment in (entry or {}).get("events", []) if moment > now - self.seconds]

    def exceeded(self, key, now=None):
        """True when the key already used its allowance."""
        if not self.enabled:
            return False
        now = time.time() if now is None else now
        return len(self._recent(key, now)) >= self.limit

    def hit(self, key, now=None):
        """Count one event for the key (one file write)."""
        if not self.enabled:
            return
        now = time.time() if now is None else now
        since = now - self.seconds
        with db.transaction(self.path) as tinydb:
            tinydb.remove(Query().last <= since)
            entry = tinydb.get(Query().key == key)
            # Only the newest `limit` times matter: the oldest of them says when the key may go again.
            events = [moment for moment in (entry or {}).get("events", []) if moment > since] + [now]
            events = events[-self.limit:]
            if entry:
                tinydb.update({"events": events, "last": now}, doc_ids=[entry.doc_id])
            else:
                tinydb.insert({"key": key, "events": events, "last": now})
            if len(tinydb) > MOST_KEYS:
                # A flood of addresses must not grow the file without end: the stalest go first.
                stalest = sorted(tinydb.all(), key=lambda stored: stored["last"])[: len(tinydb) - MOST_KEYS]
                tinydb.remove(doc_ids=[stored.doc_id for stored in stalest])

    def retry_after(self, key, now=None):
        """Seconds until the key may try again (0 when it may now)."""
        if not self.enabled:
            return 0
        now = time.time() if now is None else now
        events = self._recent(key, now)
        if len(events) < self.limit:
            return 0
        return max(1, int(events[-self.limit] + self.seconds - now) + 1)

    def clear(self, key):
        """Forget a key's events (after a success); no write when it has none."""
        if not self.enabled:
            return
        with db.reading(self.path) as tinydb:
            if not tinydb.contains(Query().key == key):
                return  # the usual case: a right PIN at the first try writes nothing
        with db.transaction(self.path) as tinydb:
            tinydb.remove(Query().key == key)
