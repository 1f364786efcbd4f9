"""The only code that touches the data folder."""
from .errors import InvalidName, NotFound, StoreBusy, StoreCorrupt, StoreError, StoreWriteError

__all__ = ["InvalidName", "NotFound", "StoreBusy", "StoreCorrupt", "StoreError", "StoreWriteError"]
