"""The webmaster's panel: login, and the inbox of citizens' messages."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import accounts, auth, content, history, inbox, media, settings, trash, offices  # noqa: E402,F401  (they register their routes on bp)
from . import form_builder  # noqa: E402,F401  (online request forms)
from . import day_sheet  # noqa: E402,F401  (the offices' day sheets)
from . import requests_panel, assisted  # noqa: E402,F401  (online requests in the inbox, assisted entry)
