"""Rate limits and wrong-PIN locks hold across every server process on one data folder.

Two apps created on one data folder stand for two processes: what one counted, the other sees.
"""
import http.client
import json
import os
import urllib.parse

import pytest

from redpinar.limits import window
from redpinar.store import counts
from tests.conftest import make_app
from tests.participation_helpers import hidden_fields, receipt_pin, sent_code, submit_message
from tests.test_pages import page_text
from tests.test_participation import follow
from tests.test_participation_bounds import reply, save_draft
from tests.test_server import start_server, stop, wait_until_serving


@pytest.fixture
def two_processes(data_dir):
    """Two apps on one data folder, limits on, as two server processes would be."""
    first = make_app(data_dir, RATE_LIMITS=True)
    second = make_app(data_dir, province=None, RATE_LIMITS=True)
    return first, second


def counts_file(data_dir, name):
    """The documents of one limit's counts file."""
    with open(os.path.join(data_dir, "throttle", name + ".json"), encoding="utf-8") as handle:
        return list(json.load(handle)["_default"].values())


def test_messages_from_one_address_are_counted_across_processes(two_processes):
    first, second = two_processes
    for number in range(3):
        sent_code(submit_message(first.test_client(), asunto=f"Mensaje número {number}"))
    for number in range(3, 5):
        sent_code(submit_message(second.test_client(), asunto=f"Mensaje número {number}"))
    refused = submit_message(second.test_client(), asunto="El sexto de la hora")
    assert refused.status_code == 429
    assert "Ya recibimos varios mensajes desde su conexión" in page_text(refused)
    assert submit_message(first.test_client()).status_code == 429


def test_drafts_from_one_address_are_counted_across_processes(two_processes):
    first, second = two_processes
    for number in range(10):
        save_draft((first if number % 2 else second).test_client())
    refused = submit_message(first.test_client(), accion="borrador")
    assert refused.status_code == 429
    assert submit_message(second.test_client(), accion="borrador").status_code == 429


def test_wrong_pins_split_across_processes_lock_the_code(two_processes):
    first, second = two_processes
    owner = first.test_client()
    code = sent_code(submit_message(owner))
    pin = receipt_pin(owner, code)
    for guess in range(5):
        attacker = (first if guess < 3 else second).test_client()
        assert follow(attacker, code, f"{guess:06d}").status_code == 400
    for app in two_processes:
        locked = follow(app.test_client(), code, pin)
        assert locked.status_code == 429
        assert "Demasiados intentos" in page_text(locked)


def test_wrong_draft_pins_split_across_processes_lock_the_address(two_processes):
    first, second = two_processes
    code, pin = save_draft(first.test_client())

    def resume(app, with_pin):
        client = app.test_client()
        form = hidden_fields(client.get("/participa/borrador/").get_data(as_text=True))
        return client.post("/participa/borrador/", data=dict(form, codigo=code, pin=with_pin))

    for guess in range(10):
        assert resume(first if guess % 2 else second, f"{guess:06d}").status_code == 400
    assert resume(first, pin).status_code == 429
    assert resume(second, pin).status_code == 429


def test_replies_to_one_message_are_counted_across_processes(two_processes):
    first, second = two_processes
    owner = first.test_client()
    code = sent_code(submit_message(owner))
    pin = receipt_pin(owner, code)
    elsewhere = second.test_client()
    assert follow(elsewhere, code, pin).status_code == 303
    for number in range(5):
        assert reply(owner if number < 3 else elsewhere, code, f"Dato nuevo número {number}").status_code == 303
    assert reply(elsewhere, code, "El sexto dato de la hora").status_code == 429
    assert reply(owner, code, "El sexto dato de la hora").status_code == 429


def test_a_right_pin_clears_the_codes_count_for_every_process(two_processes):
    first, second = two_processes
    owner = first.test_client()
    code = sent_code(submit_message(owner))
    pin = receipt_pin(owner, code)
    for guess in range(4):
        assert follow(first.test_client(), code, f"{guess:06d}").status_code == 400
    assert follow(second.test_client(), code, pin).status_code == 303
    for guess in range(4):
        assert follow(first.test_client(), code, f"{guess:06d}").status_code == 400
    assert follow(second.test_client(), code, pin).status_code == 303


def test_a_check_writes_nothing_and_each_hit_writes_once(two_processes, data_dir):
    first, _ = two_processes
    path = os.path.join(data_dir, "throttle", "submissions.json")
    with first.test_request_context():
        limiter = window("submissions", 5, 3600)
        assert not limiter.exceeded("10.0.0.1")
        assert not os.path.exists(path)
        limiter.hit("10.0.0.1")
        before = os.stat(path)
        assert not limiter.exceeded("10.0.0.1") and limiter.retry_after("10.0.0.1") == 0
        after = os.stat(path)
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_the_counts_file_stays_bounded_under_a_flood_of_addresses(two_processes, data_dir, monkeypatch):
    monkeypatch.setattr(counts, "MOST_KEYS", 50)
    first, second = two_processes
    for number in range(200):
        with (first if number % 2 else second).test_request_context():
            window("submissions", 5, 3600).hit(f"10.0.{number // 250}.{number % 250}")
    with first.test_request_context():
        limiter = window("submissions", 5, 3600)
        for _ in range(10):
            limiter.hit("10.9.9.9")
        assert limiter.exceeded("10.9.9.9") and 3590 < limiter.retry_after("10.9.9.9") <= 3601
    documents = counts_file(data_dir, "submissions")
    assert len(documents) == 50
    assert max(len(document["events"]) for document in documents) == 5  # one key keeps `limit` times at most
    assert "10.0.0.199" in {document["key"] for document in documents}  # the newest stay, the stalest went


def test_counts_outside_the_window_are_dropped_on_the_next_hit(two_processes, data_dir):
    first, _ = two_processes
    with first.test_request_context():
        limiter = window("replies-code", 5, 3600)
        for _ in range(5):
            limiter.hit("K7X9-P2MQ", now=1_000_000)
        assert limiter.exceeded("K7X9-P2MQ", now=1_000_000 + 3599)
        assert not limiter.exceeded("K7X9-P2MQ", now=1_000_000 + 3600)
        limiter.hit("A2B3-C4D5", now=1_000_000 + 3600)
    assert [document["key"] for document in counts_file(data_dir, "replies-code")] == ["A2B3-C4D5"]


def test_rate_limits_off_counts_nothing_and_writes_nothing(data_dir):
    app = make_app(data_dir, RATE_LIMITS=False)
    client = app.test_client()
    for number in range(7):
        sent_code(submit_message(client, asunto=f"Mensaje número {number}"))
    assert not os.path.exists(os.path.join(data_dir, "throttle"))


class Visitor:
    """One browser on one server: its cookie and the form pages it fetches."""

    def __init__(self, port):
        self.port = port
        self.cookie = ""

    def request(self, method, path, fields=None):
        """One request; returns (status, body)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": self.cookie}
        body = None
        if fields is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urllib.parse.urlencode(fields)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        if response.getheader("Set-Cookie") and not self.cookie:
            self.cookie = response.getheader("Set-Cookie").split(";", 1)[0]
        return response.status, content

    def try_pin(self, code, pin):
        """Post a code and PIN to the tracking page; returns the status."""
        _, form = self.request("GET", "/seguimiento/")
        status, _ = self.request("POST", "/seguimiento/", dict(hidden_fields(form), codigo=code, pin=pin))
        return status


@pytest.mark.slow
def test_two_server_processes_on_one_data_folder_share_the_wrong_pin_lock(data_dir):
    settings = {"REDPINAR_RATE_LIMITS": "on", "REDPINAR_FORM_MIN_SECONDS": "0"}
    first, first_port = start_server(data_dir, **settings)
    second = None
    try:
        wait_until_serving(first, first_port)
        second, second_port = start_server(data_dir, **settings)  # after the first loaded the example
        wait_until_serving(second, second_port)
        for guess in range(5):
            port = first_port if guess < 3 else second_port
            assert Visitor(port).try_pin("K7X9-P2MQ", f"{guess:06d}") == 400
        assert Visitor(second_port).try_pin("K7X9-P2MQ", "999999") == 429
        assert Visitor(first_port).try_pin("K7X9-P2MQ", "999999") == 429
        assert Visitor(first_port).try_pin("A2B3-C4D5", "999999") == 400  # another code is not locked
    finally:
        for process in (first, second):
            if process is not None:
                stop(process)
