"""Submissions through a real waitress server: many clients at once, and a server killed mid-storm."""
import glob
import http.client
import json
import os
import random
import signal
import threading
import time
import urllib.parse

import pytest

from redpinar.store import submissions
from tests.conftest import make_app
from tests.participation_helpers import MESSAGE, hidden_fields
from tests.test_server import start_server, stop, wait_until_serving

pytestmark = pytest.mark.slow
LOAD_SETTINGS = {"REDPINAR_RATE_LIMITS": "off", "REDPINAR_FORM_MIN_SECONDS": "0", "REDPINAR_THREADS": "4"}


class Citizen:
    """One browser on one kept-alive connection: its cookie, the form's hidden fields, its codes."""

    def __init__(self, port):
        self.port = port
        self.connection = None
        self.cookie = ""
        self.codes = []

    def _request(self, method, path, body=None):
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Cookie": self.cookie}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        content = response.read()
        if response.getheader("Set-Cookie") and not self.cookie:
            self.cookie = response.getheader("Set-Cookie").split(";", 1)[0]
        return response, content

    def open_form(self):
        """Load the form once (its token serves every later post of this session)."""
        _, content = self._request("GET", "/participa/")
        self.hidden = hidden_fields(content.decode())

    def send(self, number):
        """Post one message; its code counts once the server has answered 303 to the receipt."""
        body = urllib.parse.urlencode(dict(self.hidden, **dict(MESSAGE, asunto=f"Mensaje {number}")))
        response, _ = self._request("POST", "/participa/", body)
        location = response.getheader("Location") or ""
        assert response.status == 303 and "/participa/recibo/" in location, (response.status, location)
        code = location.rstrip("/").split("/")[-1]
        self.codes.append(code)
        return code


class Storm:
    """Citizens sending messages as fast as the server takes them, until stopped."""

    def __init__(self, port, clients, tolerated=()):
        self.citizens = [Citizen(port) for _ in range(clients)]
        self.errors = []
        self.stopping = threading.Event()
        self.tolerated = tolerated
        self.threads = [threading.Thread(target=self._send, args=(citizen,)) for citizen in self.citizens]

    def _send(self, citizen):
        try:
            citizen.open_form()
            number = 0
            while not self.stopping.is_set():
                citizen.send(number)
                number += 1
        except self.tolerated:
            pass  # the server died under it: what was acknowledged before is what counts
        except Exception as error:  # collected and reported by the test thread
            self.errors.append(repr(error))

    def start(self):
        """Start every citizen."""
        for thread in self.threads:
            thread.start()
        return self

    def until(self, receipts, timeout=90):
        """Let it blow until the citizens hold this many receipts, a citizen failed, or timeout seconds passed."""
        # A count, not a fixed time: on a busy machine a fixed time may hold too few messages to mean anything.
        deadline = time.monotonic() + timeout
        while len(self.acknowledged()) < receipts and not self.errors and time.monotonic() < deadline:
            time.sleep(0.05)
        return self

    def stop(self):
        """Stop sending and wait for every citizen."""
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def acknowledged(self):
        """Every code a citizen got a receipt for so far."""
        return [code for citizen in self.citizens for code in list(citizen.codes)]


def stored_codes(data_dir):
    """Every citizen's submission code on disk (not the example province's examples), after checking every file parses."""
    for path in glob.glob(os.path.join(str(data_dir), "**", "*.json"), recursive=True):
        with open(path, encoding="utf-8") as handle:
            json.load(handle)
    app = make_app(data_dir, province=None)
    with app.app_context():
        return [submission["id"] for submission in submissions.iter_submissions() if not submission.get("example")]


def test_twenty_clients_sending_a_hundred_messages_each_lose_nothing(data_dir):
    process, port = start_server(data_dir, **LOAD_SETTINGS)
    citizens = [Citizen(port) for _ in range(20)]
    errors = []

    def storm(citizen):
        try:
            citizen.open_form()
            for number in range(100):
                citizen.send(number)
        except Exception as error:  # collected and reported by the test thread
            errors.append(repr(error))

    try:
        wait_until_serving(process, port)
        threads = [threading.Thread(target=storm, args=(citizen,)) for citizen in citizens]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
    finally:
        stop(process)
    assert errors == []
    acknowledged = [code for citizen in citizens for code in citizen.codes]
    assert len(acknowledged) == 2000 and len(set(acknowledged)) == 2000
    on_disk = stored_codes(data_dir)
    assert len(on_disk) == len(set(on_disk)) == 2000
    assert set(on_disk) == set(acknowledged)


def test_server_killed_during_a_storm_keeps_every_message_that_got_a_receipt(data_dir):
    randomness = random.Random(1128)
    acknowledged = []
    for _ in range(10):
        process, port = start_server(data_dir, **LOAD_SETTINGS)
        wait_until_serving(process, port)
        storm = Storm(port, 6, tolerated=(OSError, AssertionError, http.client.HTTPException)).start()
        # Killed while messages are arriving: after a few receipts (a busy machine may need seconds for the
        # first ones), then at a random instant.
        storm.until(len(storm.acknowledged()) + 6, timeout=30)
        time.sleep(randomness.uniform(0, 1.0))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        storm.stop()
        acknowledged.extend(storm.acknowledged())
    assert len(acknowledged) > 50
    on_disk = set(stored_codes(data_dir))
    missing = [code for code in acknowledged if code not in on_disk]
    assert missing == []
