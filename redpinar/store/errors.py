"""Small domain errors raised by the store and turned into clear pages in one place."""


class StoreError(Exception):
    """Base class of everything the store raises on purpose."""


class StoreWriteError(StoreError):
    """A write could not reach the disk (full, read-only, busy); the old file is intact."""

    def __init__(self, path, cause=None):
        self.path = str(path)
        self.cause = cause
        super().__init__(f"could not write {self.path}: {cause}")


class StoreBusy(StoreWriteError):
    """Another process held the file lock for too long."""


class StoreCorrupt(StoreError):
    """A file on disk is not the JSON document it should be."""

    def __init__(self, path, reason):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class NotFound(StoreError):
    """No document with that identifier."""


class InvalidName(StoreError):
    """A slug, collection name or code that must never come near the disk."""
