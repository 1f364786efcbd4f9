"""Online requests with files through real waitress processes, killed with SIGKILL in the middle of a storm."""
import hashlib
import http.client
import os
import random
import re
import signal
import threading
import time
import urllib.parse
import uuid

import pytest

from redpinar.store.request_files import file_is_whole, files_root, named_file_ids
from redpinar.store.requests import get_request, iter_requests
from tests.conftest import make_app
from tests.participation_helpers import hidden_fields
from tests.request_helpers import ANSWERS, SLUG, minimal_pdf
from tests.test_server import start_server, stop, wait_until_serving

pytestmark = pytest.mark.slow
LOAD_SETTINGS = {"REDPINAR_RATE_LIMITS": "off", "REDPINAR_FORM_MIN_SECONDS": "0", "REDPINAR_THREADS": "4"}
TOLERATED = (OSError, AssertionError, http.client.HTTPException)


def multipart(fields, files):
    """(body, content type) of a multipart form: fields {name: value}, files {name: (bytes, file name)}."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (content, file_name) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{file_name}"\r\n'
                     f'Content-Type: application/pdf\r\n\r\n'.encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class Applicant:
    """One browser on one connection sending requests with a file: its cookie and its receipts."""

    def __init__(self, port, number):
        self.port, self.number = port, number
        self.connection, self.cookie = None, ""
        self.receipts = {}  # code -> sha256 of the file sent with it

    def _request(self, method, path, body=None, content_type=None):
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": self.cookie}
        if content_type:
            headers["Content-Type"] = content_type
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        content = response.read()
        if response.getheader("Set-Cookie") and not self.cookie:
            self.cookie = response.getheader("Set-Cookie").split(";", 1)[0]
        return response, content.decode("utf-8", "replace")

    def send(self, serial):
        """Fill in, check and send one request; it counts once the server answered 303 to the receipt."""
        _, page = self._request("GET", f"/tramites/{SLUG}/solicitar")
        document = minimal_pdf(f"Solicitud {self.number}-{serial} " + "x" * random.randint(1000, 200_000))
        body, content_type = multipart(dict(hidden_fields(page), **ANSWERS, accion="revisar"),
                                       {"q-documento": (document, "contrato.pdf")})
        response, check_page = self._request("POST", f"/tramites/{SLUG}/solicitar", body, content_type)
        assert response.status == 200, response.status
        body = urllib.parse.urlencode(dict(hidden_fields(check_page), accion="enviar"))
        response, _ = self._request("POST", f"/tramites/{SLUG}/solicitar/enviar", body,
                                    "application/x-www-form-urlencoded")
        location = response.getheader("Location") or ""
        assert response.status == 303 and "/recibo/" in location, response.status
        self.receipts[location.rstrip("/").split("/")[-1]] = hashlib.sha256(document).hexdigest()


def storm(port, applicants, stopping):
    """Applicants sending requests until stopped or until the server dies under them."""
    def run(applicant):
        serial = 0
        try:
            while not stopping.is_set():
                applicant.send(serial)
                serial += 1
        except TOLERATED:
            pass
    threads = [threading.Thread(target=run, args=(applicant,)) for applicant in applicants]
    for thread in threads:
        thread.start()
    return threads


def received_any(applicants, seconds):
    """Wait until one applicant got a receipt (True) or the seconds pass (False)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(applicant.receipts for applicant in applicants):
            return True
        time.sleep(0.02)
    return False


def test_requests_with_files_that_got_a_receipt_keep_them_through_ten_kills(data_dir):
    make_app(data_dir)  # the example province, with its online forms
    randomness = random.Random(1212)
    receipts = {}
    # The next server starts while the storm runs on this one: the kills need ten starts, not ten waits.
    upcoming = start_server(data_dir, **LOAD_SETTINGS)
    for round_number in range(10):
        process, port = upcoming
        wait_until_serving(process, port)
        upcoming = start_server(data_dir, **LOAD_SETTINGS) if round_number < 9 else None
        applicants = [Applicant(port, f"{round_number}.{number}") for number in range(4)]
        stopping = threading.Event()
        threads = storm(port, applicants, stopping)
        # Killed in the middle: once requests are being received, at a random instant after.
        received_any(applicants, 30)
        time.sleep(randomness.uniform(0.0, 0.4))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        stopping.set()
        for thread in threads:
            thread.join(timeout=30)
        for applicant in applicants:
            receipts.update(applicant.receipts)
    # Started again, the server sweeps what the kills left: files nobody names, half-written temp files.
    process, port = start_server(data_dir, REDPINAR_REQUEST_FILES_HOLD_SECONDS="0", **LOAD_SETTINGS)
    wait_until_serving(process, port)
    stop(process)
    assert len(receipts) >= 10
    app = make_app(data_dir, province=None)
    with app.app_context():
        for code, sent in receipts.items():
            files = get_request(code)["files"]
            assert [entry["sha256"] for entry in files] == [sent] and all(file_is_whole(entry) for entry in files)
        for stored in iter_requests():
            assert all(file_is_whole(entry) for entry in stored["files"]), stored["id"]
        named = named_file_ids()
        on_disk = [name for _folder, _dirs, names in os.walk(files_root()) for name in names]
    assert on_disk and all(re.fullmatch(r"[0-9a-f]{32}\.pdf", name) for name in on_disk), on_disk
    assert sorted(name[:32] for name in on_disk) == sorted(named)
