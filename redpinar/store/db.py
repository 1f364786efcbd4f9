"""One TinyDB per file per process, guarded by a thread lock and a file lock.

Reads take the thread lock only: a file on disk is always a complete version
(writes are atomic renames), so another process can never be seen half-way.
Writes take the thread lock, then the file lock, re-read the file if another
process replaced it, run the whole read-modify-write, and write once.
"""
import contextlib
import os
import threading
import uuid
from collections import OrderedDict
from datetime import datetime, timezone

from filelock import FileLock, Timeout
from tinydb import TinyDB

from .errors import StoreBusy, StoreWriteError
from .storage import AtomicJSONStorage

SCHEMA_VERSION = 1
LOCK_TIMEOUT_SECONDS = 15

_registry_lock = threading.Lock()
_handles = {}
# Transactions finished by this process: caches can see at a glance that nothing was written here.
_writes = 0


def _count_write():
    global _writes
    _writes += 1


def writes_in_this_process():
    """A number that changes whenever this process has finished a write to any file."""
    return _writes


def utc_now():
    """Current time as ISO 8601 in UTC, the form every document uses."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def new_id():
    """A random document identifier."""
    return uuid.uuid4().hex[:16]


def stamp_new(fields, schema=SCHEMA_VERSION):
    """Return a new document: the fields plus id, created, updated and schema."""
    now = utc_now()
    document = dict(fields)
    document.setdefault("id", new_id())
    document.setdefault("created", now)
    document.setdefault("updated", now)
    document["schema"] = schema
    return document


class FileHandle:
    """The single TinyDB of one JSON file in this process, with its locks."""

    def __init__(self, path):
        self.path = path
        self.thread_lock = threading.RLock()
        self.file_lock = FileLock(path + ".lock", timeout=LOCK_TIMEOUT_SECONDS)
        self.db = TinyDB(path, storage=AtomicJSONStorage)
        self.storage = self.db.storage
        self._derived = {}

    def _forget_table_caches(self):
        # TinyDB caches query results and the next document id per table; both are
        # wrong once another process has replaced the file.
        for table in self.db._tables.values():
            table.clear_cache()
            table._next_id = None

    def _refresh(self):
        if self.storage.reload_if_changed():
            self._forget_table_caches()

    @contextlib.contextmanager
    def reading(self):
        """Yield the TinyDB for reads, current with the file on disk."""
        with self.thread_lock:
            self._refresh()
            yield self.db

    def derived(self, name, build, release=False):
        """build(documents), computed again only when the file holds another version.

        With release, the parsed file is not kept once the value is built (for the
        many submission files, whose summaries are all that pages need).
        """
        with self.thread_lock:
            self._refresh()
            version = self.storage.version
            cached = self._derived.get(name)
            if cached is None or cached[0] != version:
                cached = (version, build(self.db.all()))
                self._derived[name] = cached
                if release:
                    self.storage.release()
            return cached[1]

    def release_if_idle(self):
        """Free the parsed file unless a thread is using it now; True when freed."""
        if not self.thread_lock.acquire(blocking=False):
            return False
        try:
            self.storage.release()
            # Cached query results hold documents of the file too.
            for table in self.db._tables.values():
                table.clear_cache()
            return True
        finally:
            self.thread_lock.release()

    def holds_parsed(self):
        """True while the parsed file is kept in memory."""
        return self.storage._data is not None

    @contextlib.contextmanager
    def transaction(self):
        """Yield the TinyDB for a read-modify-write that lands on disk whole or not at all."""
        with self.thread_lock:
            try:
                os.makedirs(os.path.dirname(self.path), exist_ok=True)
                self.file_lock.acquire()
            except Timeout as error:
                raise StoreBusy(self.path, "the data file is locked by another process") from error
            except OSError as error:
                raise StoreWriteError(self.path, error) from error
            try:
                self._refresh()
                self.storage.deferred = True
                try:
                    yield self.db
                except BaseException:
                    self.storage.discard()
                    self._forget_table_caches()
                    raise
                try:
                    self.storage.flush()
                except StoreWriteError:
                    self._forget_table_caches()
                    raise
            finally:
                self.storage.deferred = False
                _count_write()
                self.file_lock.release()


class KeptParsed:
    """A group of many files of which at most `limit` stay parsed in memory, least recently used freed first.

    For the submission files: a lookup reads one of thousands, and keeping each one read would
    end up holding the whole archive. Files read on every page (content) are not in a group.
    """

    def __init__(self, limit):
        self.limit = limit
        self._lock = threading.Lock()
        self._recent = OrderedDict()  # path -> handle, most recently used last

    def used(self, handle):
        """Note that handle was just used; free the least recently used beyond the limit."""
        with self._lock:
            self._recent[handle.path] = handle
            self._recent.move_to_end(handle.path)
            beyond = []
            while len(self._recent) > self.limit:
                beyond.append(self._recent.popitem(last=False)[1])
        for oldest in beyond:
            if not oldest.release_if_idle():
                # In use right now, so recently used after all: it stays, and goes later.
                with self._lock:
                    self._recent.setdefault(oldest.path, oldest)


_real_paths = {}


def handle_for(path):
    """The process-wide handle of a file (created on first use)."""
    real = _real_paths.get(path)
    if real is None:
        # realpath visits every folder of the path: worth doing once per path, not per read.
        real = _real_paths.setdefault(path, os.path.realpath(path))
    with _registry_lock:
        handle = _handles.get(real)
        if handle is None:
            handle = FileHandle(real)
            _handles[real] = handle
        return handle


@contextlib.contextmanager
def _opened(path, kept, write):
    handle = handle_for(path)
    try:
        with (handle.transaction() if write else handle.reading()) as db:
            yield db
    finally:
        if kept is not None:
            kept.used(handle)


def reading(path, kept=None):
    """Read access to the TinyDB of a file (one of the group `kept`, when given)."""
    return _opened(path, kept, write=False)


def transaction(path, kept=None):
    """Write access to the TinyDB of a file; one atomic write at the end."""
    return _opened(path, kept, write=True)


def derived(path, name, build, release=False):
    """A value computed from a file's documents (an index, a sorted list), kept per file version."""
    return handle_for(path).derived(name, build, release)


def version_of(path):
    """A number that changes whenever the file's content changes (for caches built on it)."""
    handle = handle_for(path)
    with handle.reading():
        return (id(handle), handle.storage.version)


def parse_count(path):
    """How many times this process has parsed the file (for tests and benchmarks)."""
    return handle_for(path).storage.parse_count


def held_parsed(folder):
    """How many files under folder this process holds parsed in memory (for tests and benchmarks)."""
    prefix = os.path.join(os.path.realpath(folder), "")
    with _registry_lock:
        handles = [handle for path, handle in _handles.items() if path.startswith(prefix)]
    return sum(1 for handle in handles if handle.holds_parsed())


def read_json_file(path):
    """A plain JSON file (not a TinyDB), parsed once per version; None when missing."""
    handle = handle_for(path)
    with handle.reading():
        return handle.storage.read()


def write_json_file(path, data):
    """Replace a plain JSON file atomically, under the same locks as a transaction."""
    handle = handle_for(path)
    with handle.transaction():
        handle.storage.write(data)
