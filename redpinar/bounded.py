"""A least-recently-used cache bounded by bytes and by entries, behind a lock."""
import threading
from collections import OrderedDict


class BoundedCache:
    """Values by key; the least recently used go first when the bytes or the count would pass the budget."""

    def __init__(self, budget_bytes, max_entries):
        self.budget_bytes = budget_bytes
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._entries = OrderedDict()  # key -> (value, size)
        self._bytes = 0

    def get(self, key):
        """The kept value (now the most recently used), or None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key, value, size):
        """Keep value, counted as size bytes; one larger than the whole budget is not kept."""
        if size > self.budget_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._entries[key] = (value, size)
            self._bytes += size
            while self._bytes > self.budget_bytes or len(self._entries) > self.max_entries:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped

    def __len__(self):
        with self._lock:
            return len(self._entries)

    @property
    def size(self):
        """The bytes counted for everything kept."""
        with self._lock:
            return self._bytes
