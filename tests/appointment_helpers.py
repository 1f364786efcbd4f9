"""Booking appointments the way a browser does, and offices made for a test."""
import json
import re
from html import unescape
from redpinar.store.offices import save_office

from tests.participation_helpers import hidden_fields

PERSON = {"nombre": "Juana Pérez Díaz", "carne": "85010112345", "telefono": "48 123456", "correo": ""}
OFFICE = "carne-identidad-pinar-del-rio"
PROCEDURE = "carne-identidad"
EVERY_DAY = {str(weekday): [["08:00", "12:00"]] for weekday in range(1, 8)}


def make_office(app, slug="oficina-de-prueba", places=3, **changes):
    """An office open every day 8:00-12:00 in 15-minute slots, booking from tomorrow, for carne-identidad."""
    office = {"slug": slug, "name": {"es": "Oficina de prueba", "en": "Test office"}, "entity": "",
              "municipality": "pinar-del-rio", "address": "Calle de prueba 1", "bring": {"es": "", "en": ""},
              "procedures": [PROCEDURE, "pasaporte-ordinario"], "slot_minutes": 15, "places": places,
              "weekly": EVERY_DAY, "exceptions": [], "book_from_days": 1, "book_until_days": 14,
              "cutoff_hours": 0, "active": True}
    office.update(changes)
    with app.app_context():
        save_office(office)
    return office


def availability(client, office=OFFICE):
    """The office's availability file, parsed."""
    response = client.get(f"/citas/{office}/disponibilidad.json")
    assert response.status_code == 200
    return json.loads(response.get_data(as_text=True))


def free_times(client, office=OFFICE):
    """['YYYY-MM-DDTHH:MM', ...] of the free times, from the availability file."""
    return [slot["start"][:16] for slot in availability(client, office)["slots"] if slot["places_left"]]


def form_fields(html):
    """The hidden fields of a page as a browser sends them (entities decoded)."""
    return {name: unescape(value) for name, value in hidden_fields(html).items()}


def fill_in(client, office=OFFICE, procedure=PROCEDURE, hora=None, path=None, **changes):
    """The check page's response after the details form: (response, the form's fields)."""
    hora = hora or free_times(client, office)[0]
    page = client.get(path or f"/citas/{office}/reservar?tramite={procedure}&hora={hora}")
    assert page.status_code == 200, page.status_code
    data = dict(form_fields(page.get_data(as_text=True)), **PERSON)
    data.update(changes)
    data["accion"] = "revisar"
    return client.post(f"/citas/{office}/reservar?tramite={procedure}", data=data), data


def book(client, office=OFFICE, procedure=PROCEDURE, hora=None, **changes):
    """Fill in the details, check, confirm: the response of the confirmation."""
    checked, data = fill_in(client, office, procedure, hora, **changes)
    assert checked.status_code == 200, checked.get_data(as_text=True)[:3000]
    confirm = dict(form_fields(checked.get_data(as_text=True)), accion="confirmar")
    return client.post(f"/citas/{office}/reservar?tramite={procedure}", data=confirm)


def booked_code(response):
    """The code from the redirect to the receipt."""
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    return response.headers["Location"].rstrip("/").split("/")[-1]


def receipt_pin(client, code):
    """The PIN shown on the receipt."""
    html = client.get(f"/citas/cita/{code}/").get_data(as_text=True)
    return re.search(r'<dt>PIN</dt><dd class="code">(\d{6})</dd>', html).group(1)


def places_left(client, hora, office=OFFICE):
    """Places left at one time, from the availability file (None when it is not bookable)."""
    for slot in availability(client, office)["slots"]:
        if slot["start"][:16] == hora:
            return slot["places_left"]
    return None


EXAMPLE_SHEET = "/admin/oficinas/carne-identidad-pinar-del-rio/dia/"


def example_day_of(read, name):
    """The day ("YYYY-MM-DD") the example office's day sheets show `name` on, following the next-day links.

    read(path) -> the page's HTML, as the webmaster gets it (a test client or a logged-in browser tab).
    """
    html = read(EXAMPLE_SHEET)
    for _ in range(10):
        day = re.search(r'dia=(\d{4}-\d{2}-\d{2})" rel="next"', html).group(1)
        html = read(f"{EXAMPLE_SHEET}?dia={day}")
        if name in html:
            return day
    raise AssertionError(f"{name} has no appointment in the example office's next days")
