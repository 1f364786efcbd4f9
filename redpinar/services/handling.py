"""What the office does with a request, with the citizen told by email (for the panel's views)."""
from ..store.requests import set_status
from .notices import notify_request


def change_status(code, status, actor, note=""):
    """Move a request to its next status (a note or reason where needed) and email the citizen; returns it."""
    changed = set_status(code, status, actor, note)
    notify_request(changed, status)
    return changed
