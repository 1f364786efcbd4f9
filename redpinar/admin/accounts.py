"""The webmaster accounts: who can enter the panel, adding one, disabling one."""
import time

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length

from ..security import client_address
from ..store import InvalidName, NotFound, audit
from ..store.users import (MAXIMUM_PASSWORD_LENGTH, MINIMUM_PASSWORD_LENGTH, AccountTaken, CannotDisable, WeakPassword,
                            add_account, disable_account, enable_account, list_accounts)
from . import bp
from .forms import EmptyForm
from .history import ROLE_NAMES
from .settings import FRESH_SECONDS, WEAK_PASSWORD, fresh_login_required

REFUSED = {
    "self": _l("No puede desactivar su propia cuenta: pida a otra persona con cuenta que lo haga."),
    "last": _l("No se puede desactivar la última cuenta activa: el panel quedaría sin nadie que pueda entrar."),
}


class AccountForm(FlaskForm):
    """A new account: user name and a strong password, typed twice."""

    usuario = StringField(_l("Nombre de usuario"), validators=[
        InputRequired(_l("Escriba el nombre de usuario.")), Length(max=32, message=_l(
            "El nombre de usuario tiene de 3 a 32 caracteres."))])
    clave = PasswordField(_l("Contraseña (12 caracteres o más)"), validators=[
        InputRequired(_l("Escriba la contraseña.")),
        Length(min=MINIMUM_PASSWORD_LENGTH, message=WEAK_PASSWORD["short"]),
        Length(max=MAXIMUM_PASSWORD_LENGTH, message=WEAK_PASSWORD["long"])])
    repetida = PasswordField(_l("Repita la contraseña"), validators=[
        EqualTo("clave", message=_l("Las dos contraseñas no coinciden."))])


def _page(form, status=200):
    return render_template("admin/accounts.html", accounts=list_accounts(), form=form, empty=EmptyForm(),
                           roles=ROLE_NAMES), status


@bp.route("/cuentas", methods=["GET", "POST"])
@login_required
@fresh_login_required
def accounts():
    """Every account with its state; the form that adds one."""
    form = AccountForm()
    if request.method == "POST" and form.validate():
        username = form.usuario.data.strip().lower()
        try:
            add_account(username, form.clave.data)
        except AccountTaken:
            form.usuario.errors = [_l("Ya existe una cuenta con ese nombre de usuario.")]
        except InvalidName:
            form.usuario.errors = [_l("El nombre de usuario lleva de 3 a 32 letras minúsculas sin tildes, números, "
                                      "puntos, guiones o guiones bajos, y empieza por una letra o un número.")]
        except WeakPassword as weakness:
            form.clave.errors = [WEAK_PASSWORD[weakness.reason]]
        else:
            audit.record(current_user.username, "account-add", target=username, address=client_address())
            flash(_l("Cuenta «%(name)s» creada.", name=username), "ok")
            return redirect(url_for("admin.accounts"), 303)
    return _page(form, 400 if request.method == "POST" else 200)


def _fresh_post_or_redirect():
    """A POST from a page left open: the password again first (back to the accounts page after)."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    if time.time() - session.get("login_at", 0) > FRESH_SECONDS:
        return redirect(url_for("admin.confirm", next=url_for("admin.accounts")), 303)
    return None


@bp.route("/cuentas/<username>/<action>", methods=["POST"])
@login_required
def account_change(username, action):
    """Disable an account (its sessions end at once), or enable it again."""
    if action not in ("desactivar", "activar"):
        abort(404)
    stale = _fresh_post_or_redirect()
    if stale:
        return stale
    try:
        if action == "desactivar":
            ended = disable_account(username, current_user.username)
        else:
            enable_account(username)
    except NotFound:
        abort(404)
    except CannotDisable as refusal:
        flash(REFUSED[refusal.reason], "error")
        return redirect(url_for("admin.accounts"), 303)
    if action == "desactivar":
        audit.record(current_user.username, "account-disable", target=username, facts={"sessions": ended},
                     address=client_address())
        flash(_l("Cuenta «%(name)s» desactivada: ya no puede entrar y sus sesiones se han cerrado.", name=username), "ok")
    else:
        audit.record(current_user.username, "account-enable", target=username, address=client_address())
        flash(_l("Cuenta «%(name)s» activada de nuevo.", name=username), "ok")
    return redirect(url_for("admin.accounts"), 303)
