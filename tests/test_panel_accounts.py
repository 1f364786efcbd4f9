"""The accounts page: the webmasters listed, one added with a strong password, one disabled (it cannot
log in and its sessions end), never one's own account nor the last active one."""
from datetime import datetime

import pytest

from redpinar.store import audit, users
from tests.participation_helpers import PASSWORD, hidden_fields, log_in, post_form
from tests.test_pages import page_text

STRONG = "mogote tabaco guajiro sereno"


@pytest.fixture
def webmaster(app, client):
    """A logged-in webmaster's browser."""
    log_in(app, client)
    return client


def add(client, username, password=STRONG, repeated=None):
    return post_form(client, "/admin/cuentas", "/admin/cuentas", usuario=username, clave=password,
                     repetida=password if repeated is None else repeated)


def change(client, username, action):
    return post_form(client, "/admin/cuentas", f"/admin/cuentas/{username}/{action}")


def can_log_in(app, username, password):
    browser = app.test_client()
    form = hidden_fields(browser.get("/admin/login").get_data(as_text=True))
    return browser.post("/admin/login", data=dict(form, usuario=username, clave=password)).status_code == 303


def audit_actions(app):
    with app.app_context():
        return [(entry["actor"], entry["action"], entry["target"])
                for entry in audit.recent(datetime.now().strftime("%Y-%m"))]


def test_the_accounts_page_is_in_the_menu_and_lists_every_webmaster(app, webmaster):
    with app.app_context():
        users.create_admin("ana.perez", STRONG)
    menu = webmaster.get("/admin/mensajes/").get_data(as_text=True).split('aria-label="Panel"')[1].split("</nav>")[0]
    assert 'href="/admin/cuentas"' in menu
    text = page_text(webmaster.get("/admin/cuentas"))
    assert "2 cuentas" in text
    assert "ana.perez webmaster" in text and "webmaster (usted) webmaster" in text


def test_a_webmaster_adds_an_account_that_can_then_log_in(app, webmaster):
    response = add(webmaster, "ana.perez")
    assert response.status_code == 303
    assert "Cuenta «ana.perez» creada." in page_text(webmaster.get("/admin/cuentas"))
    assert can_log_in(app, "ana.perez", STRONG)
    assert ("webmaster", "account-add", "ana.perez") in audit_actions(app)


@pytest.mark.parametrize("username, password, repeated, why", [
    ("ana.perez", "pinar del rio 2026", None, "Esa contraseña es común o fácil de adivinar"),
    ("ana.perez", "corta", None, "Use 12 caracteres o más."),
    ("ana.perez", STRONG, "otra cosa distinta", "Las dos contraseñas no coinciden."),
    ("Ana Pérez", STRONG, None, "El nombre de usuario lleva de 3 a 32 letras minúsculas"),
    ("webmaster", STRONG, None, "Ya existe una cuenta con ese nombre de usuario."),
])
def test_weak_passwords_bad_names_and_names_in_use_are_refused_and_say_why(app, webmaster, username, password,
                                                                           repeated, why):
    response = add(webmaster, username, password, repeated)
    assert response.status_code == 400 and why in page_text(response)
    assert can_log_in(app, "webmaster", PASSWORD)  # an existing account is never reset from here
    with app.app_context():
        assert [account["username"] for account in users.list_accounts()] == ["webmaster"]


def test_a_disabled_account_cannot_log_in_and_its_open_sessions_end(app, webmaster):
    ana = app.test_client()
    log_in(app, ana, "ana.perez")
    assert ana.get("/admin/mensajes/").status_code == 200
    assert change(webmaster, "ana.perez", "desactivar").status_code == 303
    ended = ana.get("/admin/mensajes/")
    assert ended.status_code == 302 and "/admin/login" in ended.headers["Location"]
    assert not can_log_in(app, "ana.perez", PASSWORD)
    assert "Desactivada el" in page_text(webmaster.get("/admin/cuentas"))
    assert ("webmaster", "account-disable", "ana.perez") in audit_actions(app)
    assert "Desactivó la cuenta de webmaster «ana.perez» y cerró sus sesiones." in page_text(webmaster.get("/admin/registro"))
    assert change(webmaster, "ana.perez", "activar").status_code == 303
    assert can_log_in(app, "ana.perez", PASSWORD)
    assert ("webmaster", "account-enable", "ana.perez") in audit_actions(app)


def test_nobody_disables_their_own_account(app, webmaster):
    log_in(app, app.test_client(), "ana.perez")
    refused = change(webmaster, "webmaster", "desactivar")
    assert refused.status_code == 303
    assert "No puede desactivar su propia cuenta" in page_text(webmaster.get("/admin/cuentas"))
    assert webmaster.get("/admin/mensajes/").status_code == 200
    assert can_log_in(app, "webmaster", PASSWORD)


def test_the_last_active_account_is_never_disabled(app):
    with app.app_context():
        users.create_admin("webmaster", PASSWORD)
        users.create_admin("ana.perez", STRONG)
        users.disable_account("ana.perez", "webmaster")
        with pytest.raises(users.CannotDisable) as refusal:
            users.disable_account("webmaster", "ana.perez")
        assert refusal.value.reason == "last"
        assert not users.get_user("webmaster").get("disabled")


def test_create_admin_on_the_server_enables_a_disabled_account_again(app, runner):
    with app.app_context():
        users.create_admin("webmaster", PASSWORD)
        users.create_admin("ana.perez", STRONG)
        users.disable_account("ana.perez", "webmaster")
    result = runner.invoke(args=["create-admin", "ana.perez", "--password-stdin"], input=STRONG + "\n")
    assert result.exit_code == 0, result.output
    assert can_log_in(app, "ana.perez", STRONG)


def test_account_changes_need_a_recent_login_the_form_token_and_a_post(app, webmaster, monkeypatch):
    assert webmaster.post("/admin/cuentas/ana.perez/desactivar").status_code == 400
    assert webmaster.get("/admin/cuentas/ana.perez/desactivar").status_code == 405
    assert change(webmaster, "nadie", "desactivar").status_code == 404
    with webmaster.session_transaction() as session:
        session["login_at"] = 0  # logged in long ago
    stale = webmaster.get("/admin/cuentas")
    assert stale.status_code == 302 and "/admin/confirmar" in stale.headers["Location"]
