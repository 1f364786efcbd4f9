"""Logging the webmaster in and out, safely."""
import time

from flask import redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from ..limits import window
from ..security import client_address, safe_redirect_target
from ..store import audit
from ..store.users import get_user, verify_password
from . import bp

login_manager = LoginManager()
login_manager.login_view = "admin.login"
login_manager.login_message = _l("Entre con su usuario para ver el panel.")
IDLE_SECONDS = 30 * 60
FAILURES_PER_ACCOUNT = 5
FAILURES_PER_ADDRESS = 20
LOCK_SECONDS = 15 * 60


class Webmaster(UserMixin):
    """The logged-in webmaster."""

    def __init__(self, account):
        self.id = account["username"]
        self.username = account["username"]


@login_manager.user_loader
def load_webmaster(username):
    """The account behind the session, if it still exists."""
    account = get_user(username)
    return Webmaster(account) if account else None


class LoginForm(FlaskForm):
    """User name and password."""

    usuario = StringField(_l("Usuario"), validators=[InputRequired(_l("Escriba su usuario.")), Length(max=32)])
    clave = PasswordField(_l("Contraseña"), validators=[InputRequired(_l("Escriba su contraseña.")), Length(max=200)])


@bp.before_app_request
def end_idle_sessions():
    """A webmaster idle for 30 minutes is logged out."""
    if current_user.is_authenticated:
        now = int(time.time())
        if now - session.get("seen", now) > IDLE_SECONDS:
            logout_user()
            session.clear()
        else:
            session["seen"] = now


@bp.after_request
def never_cache_the_panel(response):
    """Panel pages hold private data: never stored by a browser or proxy."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The login form; failures are throttled per account and per address, and audited."""
    form = LoginForm()
    problem, status = None, 200
    if request.method == "POST" and form.validate():
        username = form.usuario.data.strip().lower()
        address = client_address()
        per_account = window("login-account", FAILURES_PER_ACCOUNT, LOCK_SECONDS)
        per_address = window("login-address", FAILURES_PER_ADDRESS, LOCK_SECONDS)
        if per_account.exceeded(username) or per_address.exceeded(address):
            audit.record(username, "login-throttled", address=address)
            problem, status = _l("Demasiados intentos fallidos. Espere 15 minutos y vuelva a intentarlo."), 429
        else:
            account = verify_password(username, form.clave.data)
            if account:
                per_account.clear(username)
                target = safe_redirect_target(request.args.get("next"), url_for("admin.inbox"))
                session.clear()  # a new session: nothing from before the login survives
                login_user(Webmaster(account))
                session["seen"] = int(time.time())
                session["login_at"] = int(time.time())
                audit.record(username, "login", address=address)
                return redirect(target, 303)
            per_account.hit(username)
            per_address.hit(address)
            audit.record(username, "login-failed", address=address)
            problem, status = _l("Usuario o contraseña incorrectos."), 400
    elif request.method == "POST":
        status = 400
    return render_template("admin/login.html", form=form, problem=problem), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out (a POST, so no link can do it behind the webmaster's back)."""
    audit.record(current_user.username, "logout", address=client_address())
    logout_user()
    session.clear()
    return redirect(url_for("public.home"), 303)


def init_app(app):
    """Bind flask-login."""
    login_manager.init_app(app)
