"""One namespace of tracking codes: messages, appointments and online requests.

Each kind of tracked document registers how to find one by its code and which page shows it
once its PIN was given. `/seguimiento/` asks every kind, and a new code is drawn until no kind
holds it.
"""
from . import NotFound
from .submissions import get_submission, new_tracking_code

# name -> (find(code) -> document or None, endpoint of the page that shows it)
_KINDS = {}


def register(name, find, endpoint):
    """Make a kind of tracked document known to `/seguimiento/` and to new codes."""
    _KINDS[name] = (find, endpoint)


def _find_message(code):
    try:
        return get_submission(code)
    except NotFound:
        return None


register("message", _find_message, "participation.follow")


def find(code):
    """(kind, document, endpoint) for a stored code, or (None, None, None)."""
    for name, (lookup, endpoint) in _KINDS.items():
        document = lookup(code) if code else None
        if document is not None:
            return name, document, endpoint
    return None, None, None


def taken(code):
    """True when any kind already holds this code."""
    return find(code)[0] is not None


def new_code():
    """A tracking code no message, appointment or request holds yet."""
    code = new_tracking_code()
    while taken(code):
        code = new_tracking_code()
    return code
