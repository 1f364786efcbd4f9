"""A TinyDB storage that never leaves a half-written file and re-reads only changed files."""
import contextlib
import json
import os
import tempfile

from tinydb.storages import Storage

from .errors import StoreCorrupt, StoreWriteError


def fsync_directory(path):
    """Flush a directory entry so a rename in it survives a power cut."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_file(path):
    """A new binary file that replaces path only once complete, whatever instant the process dies.

    Temp file in the same folder, flush, fsync, os.replace, then fsync of the folder; on any
    error the temp file is removed and the old file is untouched (the OSError propagates).
    """
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    fd, temp_path = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_path, path)
        temp_path = None
        fsync_directory(folder)
    finally:
        if temp_path is not None:
            try:
                os.unlink(temp_path)
            except OSError:
                pass


def atomic_write_bytes(path, payload):
    """Write payload to path so that the file is always either old or new, never partial.

    On any OS error the old file is untouched and StoreWriteError is raised.
    """
    try:
        with atomic_file(path) as handle:
            handle.write(payload)
    except OSError as error:
        raise StoreWriteError(path, error) from error


def parse_json(raw):
    """json.loads, answering nesting too deep for Python with a ValueError like any other bad JSON."""
    try:
        return json.loads(raw)
    except RecursionError as error:
        raise ValueError("nested too deeply to be read") from error


def file_signature(stat_result):
    """What identifies one version of a file: a replace gives a new inode."""
    return (stat_result.st_ino, stat_result.st_size, stat_result.st_mtime_ns)


class AtomicJSONStorage(Storage):
    """JSON file storage: atomic writes, parsed data kept in memory while the file is unchanged.

    `deferred` holds writes in memory until `flush()`, so a transaction of several
    TinyDB operations costs one file write (and a failed one writes nothing).
    """

    def __init__(self, path):
        self.path = path
        self._data = None
        self._signature = None
        self.deferred = False
        self._dirty = False
        self.parse_count = 0
        # Goes up whenever the file's content may have become another version
        # (replaced on disk, written, or a write abandoned); caches built on the data follow it.
        self.version = 0

    def changed_on_disk(self):
        """True when the file is not the version last seen (another writer replaced it)."""
        try:
            signature = file_signature(os.stat(self.path))
        except FileNotFoundError:
            signature = None
        return signature != self._signature

    def reload_if_changed(self):
        """Drop the in-memory copy when the file changed; returns True when it did."""
        if self._dirty:
            return False
        try:
            signature = file_signature(os.stat(self.path))
        except FileNotFoundError:
            signature = None
        if signature != self._signature:
            self._data = None
            self._signature = signature
            self.version += 1
            return True
        return False

    def read(self):
        """Return the parsed file (None when missing or empty), parsing only a new version."""
        if self._data is not None:
            return self._data
        try:
            with open(self.path, "rb") as handle:
                signature = file_signature(os.fstat(handle.fileno()))
                raw = handle.read()
        except FileNotFoundError:
            if self._signature is not None:
                self.version += 1
            self._signature = None
            return None
        if signature != self._signature:
            # Replaced again since the last look: caches built on the old version must go.
            self.version += 1
        if not raw.strip():
            self._signature = signature
            return None
        try:
            data = parse_json(raw)
        except ValueError as error:
            raise StoreCorrupt(self.path, str(error)) from error
        if not isinstance(data, dict):
            raise StoreCorrupt(self.path, "the top level is not an object")
        self.parse_count += 1
        self._data = data
        self._signature = signature
        return data

    def write(self, data):
        """Keep data in memory; write it through at once unless a transaction defers it."""
        self._data = data
        self._dirty = True
        if not self.deferred:
            self.flush()

    def flush(self):
        """Write the in-memory data to disk atomically, if anything changed."""
        if not self._dirty:
            return
        payload = json.dumps(self._data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            atomic_write_bytes(self.path, payload)
        except StoreWriteError:
            self.discard()
            raise
        self._dirty = False
        self.version += 1
        self._signature = file_signature(os.stat(self.path))

    def discard(self):
        """Forget unsaved changes; the next read comes from the file on disk."""
        self._data = None
        self._signature = None
        self._dirty = False
        self.version += 1

    def release(self):
        """Free the parsed data while keeping track of the file's version (read again on demand)."""
        if not self._dirty:
            self._data = None

    def close(self):
        """Nothing stays open between calls."""
