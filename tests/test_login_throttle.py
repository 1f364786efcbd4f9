"""Wrong passwords slow down the address that sends them, never the webmaster elsewhere."""
import json
import os
import time
from datetime import date

import pytest

from redpinar.store import audit
from tests.conftest import make_app
from tests.participation_helpers import PASSWORD, hidden_fields, log_in, post_form
from tests.test_pages import page_text

STRANGER, WEBMASTER_AT_WORK = "203.0.113.9", "198.51.100.7"


@pytest.fixture
def app(data_dir):
    """The portal with its limits on, as in production."""
    return make_app(data_dir, RATE_LIMITS=True)


def try_login(client, password, address=STRANGER, username="webmaster"):
    """One login attempt from an address; the status code."""
    form = hidden_fields(client.get("/admin/login", environ_base={"REMOTE_ADDR": address}).get_data(as_text=True))
    response = client.post("/admin/login", data=dict(form, usuario=username, clave=password),
                           environ_base={"REMOTE_ADDR": address})
    return response.status_code


def fail_five_times(client, address=STRANGER):
    for _ in range(5):
        assert try_login(client, "no es la clave", address) == 400


def actions_in_the_audit_log(app):
    with app.app_context():
        return [entry["action"] for entry in audit.recent(date.today().strftime("%Y-%m"))]


def test_failed_logins_slow_down_the_address_not_the_account(app):
    log_in(app, app.test_client())
    stranger, webmaster = app.test_client(), app.test_client()
    fail_five_times(stranger)
    assert try_login(stranger, PASSWORD) == 429  # even the right password waits
    assert try_login(webmaster, PASSWORD, WEBMASTER_AT_WORK) == 303
    assert "login-throttled" in actions_in_the_audit_log(app)


def test_the_wait_grows_after_each_failure_and_stops_at_fifteen_minutes(app, monkeypatch):
    clock = [time.time()]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    log_in(app, app.test_client())
    stranger = app.test_client()
    fail_five_times(stranger)
    for minutes in (1, 2, 4, 8, 15, 15):
        clock[0] += minutes * 60 - 5
        assert try_login(stranger, "no es la clave") == 429
        clock[0] += 10
        assert try_login(stranger, "no es la clave") == 400


def test_the_refusal_says_how_long_to_wait(app):
    log_in(app, app.test_client())
    stranger = app.test_client()
    fail_five_times(stranger)
    form = hidden_fields(stranger.get("/admin/login", environ_base={"REMOTE_ADDR": STRANGER}).get_data(as_text=True))
    refused = stranger.post("/admin/login", data=dict(form, usuario="webmaster", clave=PASSWORD),
                            environ_base={"REMOTE_ADDR": STRANGER}, headers={"Accept-Language": "en"})
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 60
    assert "Wait 1 minute and try again." in page_text(refused)


def test_one_address_guessing_many_accounts_is_slowed_down_too(app):
    stranger = app.test_client()
    for number in range(20):
        assert try_login(stranger, "no es la clave", username=f"cuenta{number}") == 400
    assert try_login(stranger, "no es la clave", username="otra-cuenta") == 429


def test_failure_counts_are_shared_by_every_process_on_the_data_folder(app, data_dir):
    log_in(app, app.test_client())
    fail_five_times(app.test_client())
    other_process = make_app(data_dir, province=None, RATE_LIMITS=True)
    assert try_login(other_process.test_client(), PASSWORD) == 429
    assert os.path.exists(os.path.join(data_dir, "throttle", "logins.json"))


def test_old_failures_are_forgotten_so_the_counts_stay_small(app, data_dir, monkeypatch):
    clock = [time.time()]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    client = app.test_client()
    for number in range(30):
        try_login(client, "no es la clave", address=f"192.0.2.{number}")
    clock[0] += 25 * 60 * 60
    try_login(client, "no es la clave", address="192.0.2.200")
    with open(os.path.join(data_dir, "throttle", "logins.json"), encoding="utf-8") as handle:
        entries = json.load(handle)["_default"]
    assert len(entries) == 2  # the address and the (account, address) pair of the last attempt


def test_reauthentication_is_throttled_like_the_login(app, client):
    log_in(app, client)
    for _ in range(5):
        assert post_form(client, "/admin/confirmar", "/admin/confirmar", clave="no es la clave").status_code == 400
    assert post_form(client, "/admin/confirmar", "/admin/confirmar", clave=PASSWORD).status_code == 429
    assert "confirm-throttled" in actions_in_the_audit_log(app)


def test_a_wrong_current_password_in_the_password_change_is_throttled_like_the_login(app, client):
    log_in(app, client)
    new = "mogote tabaco guajiro sereno"
    for _ in range(5):
        wrong = post_form(client, "/admin/clave", "/admin/clave", actual="no es la clave", nueva=new, repetida=new)
        assert wrong.status_code == 400
    right = post_form(client, "/admin/clave", "/admin/clave", actual=PASSWORD, nueva=new, repetida=new)
    assert right.status_code == 429 and "Demasiados intentos fallidos" in page_text(right)
    # The login from the same address counts the same failures.
    assert try_login(app.test_client(), PASSWORD, address="127.0.0.1") == 429


def test_unlock_logins_lets_a_slowed_down_address_in_and_is_audited(app):
    log_in(app, app.test_client())
    stranger, colleague = app.test_client(), app.test_client()
    fail_five_times(stranger)
    fail_five_times(colleague, WEBMASTER_AT_WORK)
    runner = app.test_cli_runner()
    one = runner.invoke(args=["unlock-logins", "--address", STRANGER])
    assert one.exit_code == 0 and STRANGER in one.output
    assert try_login(stranger, PASSWORD) == 303
    assert try_login(colleague, PASSWORD, WEBMASTER_AT_WORK) == 429
    every = runner.invoke(args=["unlock-logins"])
    assert every.exit_code == 0
    assert try_login(colleague, PASSWORD, WEBMASTER_AT_WORK) == 303
    assert actions_in_the_audit_log(app).count("logins-unlocked") == 2
