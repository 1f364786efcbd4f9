"""Citizen participation: writing to the government, following the answer, public figures."""
from flask import Blueprint

bp = Blueprint("participation", __name__)

from . import tracking, transparency, views  # noqa: E402,F401  (they register their routes on bp)
