"""The webmaster's sessions end when they should, and passwords are hard to guess (ASVS V2, V3)."""
import tarfile
import time

import pytest

from redpinar.store import users
from redpinar.store.backup import restore_backup, write_backup
from redpinar.store.throttle import record_failure
from tests.participation_helpers import PASSWORD, hidden_fields, log_in, post_form
from tests.test_pages import page_text

NEW_PASSWORD = "mogote tabaco guajiro sereno"


def opens_the_panel(client):
    """True when the client's session still opens the inbox."""
    return client.get("/admin/mensajes/").status_code == 200


def copy_of_the_cookie(app, client):
    """Another browser holding the same session cookie (a stolen or kept copy)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def test_logout_ends_the_session_on_the_server(app, client):
    log_in(app, client)
    copy = copy_of_the_cookie(app, client)
    assert opens_the_panel(copy)
    assert post_form(client, "/admin/mensajes/", "/admin/logout").status_code == 303
    assert not opens_the_panel(client)
    refused = copy.get("/admin/mensajes/")
    assert refused.status_code == 302 and "/admin/login" in refused.headers["Location"]


def test_changing_the_password_ends_every_other_session_of_the_account(app):
    here, elsewhere = app.test_client(), app.test_client()
    log_in(app, here)
    log_in(app, elsewhere)
    assert opens_the_panel(here) and opens_the_panel(elsewhere)
    changed = post_form(here, "/admin/clave", "/admin/clave", actual=PASSWORD, nueva=NEW_PASSWORD,
                        repetida=NEW_PASSWORD)
    assert changed.status_code == 303
    assert opens_the_panel(here)
    assert not opens_the_panel(elsewhere)


def test_create_admin_for_an_existing_account_ends_all_its_sessions(app, runner):
    first, second = app.test_client(), app.test_client()
    log_in(app, first)
    log_in(app, second)
    result = runner.invoke(args=["create-admin", "webmaster", "--password-stdin"], input=NEW_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "every open session of that account has ended" in result.output
    assert not opens_the_panel(first) and not opens_the_panel(second)


def test_a_session_ends_twelve_hours_after_login_even_when_in_use(app, client, monkeypatch):
    clock = [time.time()]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    log_in(app, client)
    # Busy all day: a request every 20 minutes keeps the idle limit away.
    for _ in range(35):
        clock[0] += 20 * 60
        assert opens_the_panel(client)
    clock[0] += 20 * 60
    assert not opens_the_panel(client)  # 12 h since the login


def test_a_session_idle_for_30_minutes_ends(app, client, monkeypatch):
    clock = [time.time()]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    log_in(app, client)
    clock[0] += 29 * 60
    assert opens_the_panel(client)
    clock[0] += 31 * 60
    assert not opens_the_panel(client)


def test_an_account_keeps_at_most_ten_open_sessions_the_oldest_go_first(app):
    browsers = [app.test_client() for _ in range(11)]
    for browser in browsers:
        log_in(app, browser)
    assert not opens_the_panel(browsers[0])
    assert all(opens_the_panel(browser) for browser in browsers[1:])


@pytest.mark.parametrize("password", ["password1234", "qwertyuiop123", "webmaster2024!", "pinardelrio2024",
                                      "Pinar del Río 2025", "viñales12345678"])
def test_create_admin_refuses_common_and_guessable_passwords(app, runner, password):
    result = runner.invoke(args=["create-admin", "webmaster", "--password-stdin"], input=password + "\n")
    assert result.exit_code != 0
    assert "too easy to guess" in result.output
    with app.app_context():
        assert users.get_user("webmaster") is None


@pytest.mark.parametrize("language, why", [
    ("es", "Esa contraseña es común o fácil de adivinar"), ("en", "That password is common or easy to guess")])
def test_the_panel_refuses_a_guessable_new_password_and_says_why(app, client, language, why):
    log_in(app, client)
    page = client.get("/admin/clave", headers={"Accept-Language": language}).get_data(as_text=True)
    refused = client.post("/admin/clave", headers={"Accept-Language": language}, data=dict(
        hidden_fields(page), actual=PASSWORD, nueva="pinardelrio2024", repetida="pinardelrio2024"))
    assert refused.status_code == 400
    assert why in page_text(refused)
    with app.app_context():
        assert users.verify_password("webmaster", PASSWORD)


LONGEST = "tabaco mogote " * 9 + "guaji"  # 131 characters
assert len(LONGEST) == 131


def test_one_maximum_password_length_applies_in_the_cli_and_every_panel_form(app, client, runner):
    too_long, longest = LONGEST[:129], LONGEST[:128]
    refused = runner.invoke(args=["create-admin", "webmaster", "--password-stdin"], input=too_long + "\n")
    assert refused.exit_code != 0 and "at most 128 characters" in refused.output
    accepted = runner.invoke(args=["create-admin", "webmaster", "--password-stdin"], input=longest + "\n")
    assert accepted.exit_code == 0, accepted.output
    form = hidden_fields(client.get("/admin/login").get_data(as_text=True))
    login = client.post("/admin/login", data=dict(form, usuario="webmaster", clave=too_long))
    assert login.status_code == 400 and "como máximo 128 caracteres" in page_text(login)
    assert client.post("/admin/login", data=dict(form, usuario="webmaster", clave=longest)).status_code == 303
    confirm = post_form(client, "/admin/confirmar", "/admin/confirmar", clave=too_long)
    assert confirm.status_code == 400 and "como máximo 128 caracteres" in page_text(confirm)
    change = post_form(client, "/admin/clave", "/admin/clave", actual=longest, nueva=too_long, repetida=too_long)
    assert change.status_code == 400 and "como máximo 128 caracteres" in page_text(change)


def test_an_unknown_account_costs_the_same_as_a_wrong_password(app, client, monkeypatch):
    with app.app_context():
        users.create_admin("webmaster", PASSWORD)
    checked = []
    real_check = users.check_password_hash

    def spy(password_hash, password):
        checked.append(password_hash.split("$")[0])
        return real_check(password_hash, password)
    monkeypatch.setattr(users, "check_password_hash", spy)
    form = hidden_fields(client.get("/admin/login").get_data(as_text=True))
    for username in ("webmaster", "nadie-conocido"):
        wrong = client.post("/admin/login", data=dict(form, usuario=username, clave="una clave equivocada"))
        assert wrong.status_code == 400 and "Usuario o contraseña incorrectos." in page_text(wrong)
    assert len(checked) == 2 and checked[0] == checked[1] and checked[0].startswith("scrypt:")


def test_a_restored_backup_brings_back_no_session_and_no_failed_login_counts(app, client, tmp_path):
    log_in(app, client)
    copy = copy_of_the_cookie(app, client)
    with app.app_context():
        record_failure("webmaster", "198.51.100.7")
        backup = write_backup(str(tmp_path / "backup.tar.gz"))
    assert post_form(client, "/admin/mensajes/", "/admin/logout").status_code == 303
    with tarfile.open(backup.path) as archive:
        names = archive.getnames()
    assert "users.json" in names
    assert not [name for name in names if name.startswith(("sessions.json", "throttle"))]
    with app.app_context():
        restore_backup(backup.path)
    assert not opens_the_panel(copy)
