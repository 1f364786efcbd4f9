"""Logging the webmaster in and out, safely: sessions live on the server, failures are throttled."""
import math
import time

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from ..security import client_address, safe_redirect_target
from ..store import audit, throttle
from ..store.sessions import close_session, open_session, session_is_open
from ..store.users import MAXIMUM_PASSWORD_LENGTH, get_user, verify_password
from . import bp

login_manager = LoginManager()
login_manager.login_view = "admin.login"
login_manager.login_message = _l("Entre con su usuario para ver el panel.")
IDLE_SECONDS = 30 * 60
PASSWORD_TOO_LONG = _l("La contraseña tiene como máximo %(max)d caracteres.")


class Webmaster(UserMixin):
    """The logged-in webmaster."""

    def __init__(self, account):
        self.id = account["username"]
        self.username = account["username"]


@login_manager.user_loader
def load_webmaster(username):
    """The account behind the session, while it exists, is enabled, and the server still holds the session open."""
    account = get_user(username)
    if account and not account.get("disabled") and session_is_open(username, session.get("sid")):
        return Webmaster(account)
    return None


def password_field(label=_l("Contraseña"), missing=_l("Escriba su contraseña.")):
    """A password field with the one maximum length that the CLI and every panel form share."""
    return PasswordField(label, validators=[InputRequired(missing),
                                            Length(max=MAXIMUM_PASSWORD_LENGTH, message=PASSWORD_TOO_LONG)])


class LoginForm(FlaskForm):
    """User name and password."""

    usuario = StringField(_l("Usuario"), validators=[InputRequired(_l("Escriba su usuario.")), Length(max=32)])
    clave = password_field()


def password_wait(username):
    """Seconds this visitor's address must wait before trying the account's password again (0: now)."""
    if not current_app.config.get("RATE_LIMITS", True):
        return 0
    return throttle.seconds_to_wait(username, client_address())


def too_many_attempts(seconds):
    """The refusal shown while an address waits."""
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext("Demasiados intentos fallidos desde su conexión. Espere %(num)d minuto y vuelva a intentarlo.",
                    "Demasiados intentos fallidos desde su conexión. Espere %(num)d minutos y vuelva a intentarlo.",
                    minutes)


def password_failed(username, action):
    """Audit a wrong password and count it against the address (and the account from that address)."""
    audit.record(username, action, address=client_address())
    if current_app.config.get("RATE_LIMITS", True):
        throttle.record_failure(username, client_address())


def password_succeeded(username):
    """The right password: this address's failures for the account are forgotten."""
    if current_app.config.get("RATE_LIMITS", True):
        throttle.record_success(username, client_address())


def refused_while_waiting(page, seconds):
    """A 429 answer that says when to try again."""
    return page, 429, {"Retry-After": str(seconds)}


@bp.before_app_request
def end_idle_sessions():
    """A webmaster idle for 30 minutes is logged out; a session ended on the server is forgotten.

    Only in the panel: public pages and static files never touch the session, so they never send
    its cookie (and stay the same for everybody).
    """
    if request.blueprint != bp.name:
        return
    if current_user.is_authenticated:
        now = int(time.time())
        if now - session.get("seen", now) > IDLE_SECONDS:
            close_session(current_user.username, session.get("sid"))
            logout_user()
            session.clear()
        else:
            session["seen"] = now
    elif "_user_id" in session:
        session.clear()


@bp.after_request
def never_cache_the_panel(response):
    """Panel pages hold private data: never stored by a browser or proxy."""
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The login form; failures slow down the address that makes them, and are audited."""
    form = LoginForm()
    problem, status = None, 200
    if request.method == "POST" and form.validate():
        username = form.usuario.data.strip().lower()
        address = client_address()
        wait = password_wait(username)
        if wait:
            audit.record(username, "login-throttled", address=address)
            page = render_template("admin/login.html", form=form, problem=too_many_attempts(wait))
            return refused_while_waiting(page, wait)
        account = verify_password(username, form.clave.data)
        if account:
            password_succeeded(username)
            target = safe_redirect_target(request.args.get("next"), url_for("admin.inbox"))
            session.clear()  # a new session: nothing from before the login survives
            session["sid"] = open_session(username)
            login_user(Webmaster(account))
            session["seen"] = int(time.time())
            session["login_at"] = int(time.time())
            audit.record(username, "login", address=address)
            return redirect(target, 303)
        password_failed(username, "login-failed")
        problem, status = _l("Usuario o contraseña incorrectos."), 400
    elif request.method == "POST":
        status = 400
    return render_template("admin/login.html", form=form, problem=problem), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out (a POST, so no link can do it behind the webmaster's back); the server forgets the session."""
    audit.record(current_user.username, "logout", address=client_address())
    close_session(current_user.username, session.get("sid"))
    logout_user()
    session.clear()
    return redirect(url_for("public.home"), 303)


def init_app(app):
    """Bind flask-login."""
    login_manager.init_app(app)
