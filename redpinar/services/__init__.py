"""Online services: appointments at offices."""
from flask import Blueprint

bp = Blueprint("services", __name__)

from . import appointments, appointment_case  # noqa: E402,F401  (they register their routes on bp)
