"""Public information: what a citizen comes to read."""
from flask import Blueprint

bp = Blueprint("public", __name__)

# The modules register their routes on bp.
from . import events, feeds, media, news, procedures, views  # noqa: E402,F401
