"""Appointments through real waitress servers: races for the last places, two servers, SIGKILL mid-storm."""
import glob
import http.client
import itertools
import json
import os
import random
import signal
import threading
import time
import urllib.parse
from html import unescape

import pytest

from redpinar.store import appointments as store
from tests.appointment_helpers import PERSON, PROCEDURE, free_times, make_office
from tests.conftest import make_app
from tests.participation_helpers import hidden_fields
from tests.test_server import start_server, stop, wait_until_serving

pytestmark = pytest.mark.slow
LOAD_SETTINGS = {"REDPINAR_RATE_LIMITS": "off", "REDPINAR_FORM_MIN_SECONDS": "0", "REDPINAR_THREADS": "8"}
OFFICE = "oficina-de-prueba"
TAKEN = "otra persona tomó la última plaza"
_cards = itertools.count(1)
_cards_lock = threading.Lock()


def new_card():
    """An identity card number no other citizen of the test uses (born 1 January 1990)."""
    with _cards_lock:
        return f"900101{next(_cards):05d}"


class Citizen:
    """One browser on one kept-alive connection, booking at the test office."""

    def __init__(self, port):
        self.port, self.connection, self.cookie, self.codes = port, None, "", []

    def request(self, method, path, fields=None):
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": self.cookie}
        body = None
        if fields is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urllib.parse.urlencode(fields)
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        content = response.read().decode("utf-8", "replace")
        if response.getheader("Set-Cookie") and not self.cookie:
            self.cookie = response.getheader("Set-Cookie").split(";", 1)[0]
        return response, content

    def checked(self, hora):
        """The fields of the check page for one time: what the confirm button posts."""
        _, form = self.request("GET", f"/citas/{OFFICE}/reservar?tramite={PROCEDURE}&hora={hora}")
        fields = {name: unescape(value) for name, value in hidden_fields(form).items()}
        fields.update(PERSON, carne=new_card(), accion="revisar")
        response, page = self.request("POST", f"/citas/{OFFICE}/reservar?tramite={PROCEDURE}", fields)
        assert response.status == 200, (response.status, page[:300])
        return dict({name: unescape(value) for name, value in hidden_fields(page).items()}, accion="confirmar")

    def confirm(self, fields):
        """Post the confirmation: the code on a receipt, else None (and the page said why)."""
        response, page = self.request("POST", f"/citas/{OFFICE}/reservar?tramite={PROCEDURE}", fields)
        if response.status == 303:
            code = response.getheader("Location").rstrip("/").split("/")[-1]
            self.codes.append(code)
            return code, page
        assert response.status == 409, (response.status, page[:300])
        return None, page


def stored_appointments(data_dir):
    """Every appointment on disk at the test office, after checking every JSON file of the folder parses."""
    for path in glob.glob(os.path.join(str(data_dir), "**", "*.json"), recursive=True):
        with open(path, encoding="utf-8") as handle:
            json.load(handle)
    found = []
    for path in glob.glob(os.path.join(str(data_dir), "appointments", OFFICE, "*.json")):
        with open(path, encoding="utf-8") as handle:
            found.extend(json.load(handle).get("_default", {}).values())
    return found


def assert_no_slot_over_its_places(appointments, places):
    taken = {}
    for appointment in appointments:
        if appointment["status"] == "booked":
            key = (appointment["day"], appointment["time"])
            taken[key] = taken.get(key, 0) + 1
    assert taken and max(taken.values()) <= places, max(taken.values())


def test_fifty_citizens_race_for_the_last_three_places_of_a_slot(data_dir):
    app = make_app(data_dir)
    make_office(app, places=5)
    hora = free_times(app.test_client(), OFFICE)[0]
    with app.app_context():
        for _ in range(2):
            store.book(OFFICE, PROCEDURE, store.slots.parse_day(hora[:10]), hora[11:],
                       {"name": "Antes", "id_card": new_card()}, "x")
    process, port = start_server(data_dir, **LOAD_SETTINGS)
    try:
        wait_until_serving(process, port)
        citizens = [Citizen(port) for _ in range(50)]
        prepared = [citizen.checked(hora) for citizen in citizens]
        start = threading.Barrier(50)
        outcomes = [None] * 50

        def race(number):
            start.wait()
            outcomes[number] = citizens[number].confirm(prepared[number])

        threads = [threading.Thread(target=race, args=(number,)) for number in range(50)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        stop(process)
    receipts = [code for code, _ in outcomes if code]
    refused = [page for code, page in outcomes if code is None]
    assert len(receipts) == 3 and len(refused) == 47
    assert all(TAKEN in page and "Próximas horas libres" in page and 'value="Juana Pérez Díaz"' not in page
               or TAKEN in page for page in refused)
    assert all(PERSON["nombre"] in page for page in refused)  # the answers are kept
    booked = [a for a in stored_appointments(data_dir) if a["status"] == "booked" and a["time"] == hora[11:]]
    assert len(booked) == 5


def test_two_server_processes_on_one_data_folder_never_overfill_a_slot(data_dir):
    app = make_app(data_dir)
    make_office(app, places=2)
    times = free_times(app.test_client(), OFFICE)[:6]
    servers = [start_server(data_dir, **LOAD_SETTINGS) for _ in range(2)]
    errors = []

    def book_everything(port):
        citizen = Citizen(port)
        try:
            for hora in times:
                citizen.confirm(citizen.checked(hora))
        except Exception as error:  # reported by the test thread
            errors.append(repr(error))

    try:
        for process, port in servers:
            wait_until_serving(process, port)
        threads = [threading.Thread(target=book_everything, args=(port,)) for _, port in servers for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        for process, _ in servers:
            stop(process)
    assert errors == []
    appointments = stored_appointments(data_dir)
    assert_no_slot_over_its_places(appointments, 2)
    assert len([a for a in appointments if a["status"] == "booked"]) == 12


def test_sigkill_during_a_booking_storm_ten_times_keeps_every_receipted_appointment(data_dir):
    app = make_app(data_dir)
    make_office(app, places=4)
    times = free_times(app.test_client(), OFFICE)
    randomness = random.Random(1130)
    acknowledged = []
    for _ in range(10):
        process, port = start_server(data_dir, **LOAD_SETTINGS)
        wait_until_serving(process, port)
        citizens = [Citizen(port) for _ in range(6)]
        prepared = [citizen.checked(times[0]) for citizen in citizens]
        # One booking first: the process has read what it needs, so the storm starts at once.
        citizens[0].confirm(dict(prepared[0], carne=new_card(), hora=randomness.choice(times)))
        stopping = threading.Event()

        def storm(citizen, fields):
            try:
                while not stopping.is_set():
                    # The confirmation carries every answer: each one books another person at another time.
                    citizen.confirm(dict(fields, carne=new_card(), hora=randomness.choice(times)))
            except (OSError, AssertionError, http.client.HTTPException):
                pass  # the server died under it: what got a receipt before is what counts

        threads = [threading.Thread(target=storm, args=pair) for pair in zip(citizens, prepared)]
        for thread in threads:
            thread.start()
        time.sleep(randomness.uniform(0.2, 0.6))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        stopping.set()
        for thread in threads:
            thread.join(timeout=30)
        acknowledged.extend(code for citizen in citizens for code in citizen.codes)
    appointments = stored_appointments(data_dir)
    on_disk = {appointment["id"] for appointment in appointments}
    assert len(acknowledged) >= 10 and [code for code in acknowledged if code not in on_disk] == []
    assert_no_slot_over_its_places(appointments, 4)
