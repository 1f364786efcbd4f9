"""Online services: appointments at offices, and requests a citizen starts from home; both followed with a code and PIN."""
from flask import Blueprint

from ..store import codes
from ..store.requests import find_request

bp = Blueprint("services", __name__)

codes.register("request", find_request, "services.follow_request")

from . import appointment_case, appointments, following, journey  # noqa: E402,F401  (they register their routes on bp)
