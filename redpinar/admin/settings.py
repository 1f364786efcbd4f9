"""The province's settings, the webmaster's password, backups and the audit log."""
import functools
import os
import shutil
import tempfile
import time
from datetime import date

from flask import flash, redirect, render_template, request, send_file, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, PasswordField, StringField, TextAreaField
from wtforms.validators import EqualTo, InputRequired, Length, NumberRange, Optional, Regexp

from .. import theme
from ..fieldmessages import NOT_A_WHOLE_NUMBER
from ..mail import smtp_from_environment, smtp_settings
from ..problems import in_panel_language
from ..security import client_address, safe_redirect_target
from ..store import audit
from ..store.backup import write_backup
from ..store.media import MediaRefused, save_logo
from ..store.site import load_site, save_site, site_problems
from ..store.users import (MAXIMUM_PASSWORD_LENGTH, MINIMUM_PASSWORD_LENGTH, WeakPassword, change_password,
                            verify_password)
from . import activity, bp
from .site_fields import municipalities_in_use, read_colours, read_municipalities
from .auth import password_failed, password_field, password_succeeded, password_wait, refused_while_waiting, too_many_attempts

FRESH_SECONDS = 10 * 60


def fresh_login_required(view):
    """Sensitive actions ask for the password again when the login is older than ten minutes."""
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if time.time() - session.get("login_at", 0) > FRESH_SECONDS:
            return redirect(url_for("admin.confirm", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)
    return wrapped


class ConfirmForm(FlaskForm):
    """The password again."""

    clave = password_field()


@bp.route("/confirmar", methods=["GET", "POST"])
@login_required
def confirm():
    """Confirm the password before a sensitive action; wrong passwords are throttled like the login."""
    form = ConfirmForm()
    problem = None
    if request.method == "POST" and form.validate():
        wait = password_wait(current_user.username)
        if wait:
            audit.record(current_user.username, "confirm-throttled", address=client_address())
            page = render_template("admin/confirm.html", form=form, problem=too_many_attempts(wait))
            return refused_while_waiting(page, wait)
        if verify_password(current_user.username, form.clave.data):
            password_succeeded(current_user.username)
            session["login_at"] = int(time.time())
            return redirect(safe_redirect_target(request.args.get("next"), url_for("admin.inbox")), 303)
        password_failed(current_user.username, "confirm-failed")
        problem = _l("La contraseña no es correcta.")
    return render_template("admin/confirm.html", form=form, problem=problem), 400 if (problem or form.errors) else 200


WEAK_PASSWORD = {
    "short": _l("Use %(min)d caracteres o más.", min=MINIMUM_PASSWORD_LENGTH),
    "long": _l("La contraseña tiene como máximo %(max)d caracteres.", max=MAXIMUM_PASSWORD_LENGTH),
    "guessable": _l("Esa contraseña es común o fácil de adivinar (por ejemplo, lleva su usuario, el nombre "
                    "de la provincia o una serie de teclas). Use varias palabras poco comunes."),
}


class PasswordForm(FlaskForm):
    """Change one's own password."""

    actual = password_field(_l("Contraseña actual"), _l("Escriba su contraseña actual."))
    nueva = PasswordField(_l("Contraseña nueva (12 caracteres o más)"), validators=[
        InputRequired(_l("Escriba la contraseña nueva.")),
        Length(min=MINIMUM_PASSWORD_LENGTH, message=WEAK_PASSWORD["short"]),
        Length(max=MAXIMUM_PASSWORD_LENGTH, message=WEAK_PASSWORD["long"])])
    repetida = PasswordField(_l("Repita la contraseña nueva"), validators=[
        EqualTo("nueva", message=_l("Las dos contraseñas nuevas no coinciden."))])


@bp.route("/clave", methods=["GET", "POST"])
@login_required
@fresh_login_required
def password():
    """The webmaster changes their password (the current one is required); their other sessions end."""
    form = PasswordForm()
    if request.method == "POST" and form.validate():
        username = current_user.username
        wait = password_wait(username)
        if wait:
            audit.record(username, "password-throttled", address=client_address())
            form.actual.errors = [too_many_attempts(wait)]
            return refused_while_waiting(render_template("admin/password.html", form=form), wait)
        try:
            changed = change_password(username, form.actual.data, form.nueva.data, keep_session=session.get("sid"))
        except WeakPassword as weakness:
            form.nueva.errors = [WEAK_PASSWORD[weakness.reason]]
        else:
            if changed:
                password_succeeded(username)
                audit.record(username, "password-changed", address=client_address())
                flash(_l("Contraseña cambiada. Sus otras sesiones se han cerrado."), "ok")
                return redirect(url_for("admin.inbox"), 303)
            password_failed(username, "password-change-failed")
            form.actual.errors = [_l("La contraseña actual no es correcta.")]
    return render_template("admin/password.html", form=form), 400 if form.errors else 200


class SettingsForm(FlaskForm):
    """The parts of site.json a webmaster changes from the panel."""

    def validate(self, extra_validators=None):
        """Field checks, then: notices need an address to go to."""
        valid = super().validate(extra_validators)
        if self.aviso_activo.data and not (self.aviso_correo.data or "").strip() and not self.aviso_correo.errors:
            self.aviso_correo.errors = list(self.aviso_correo.errors) + [
                _l("Escriba el correo que recibe los avisos.")]
            valid = False
        return valid

    nombre_es = StringField(_l("Nombre (español)"), validators=[InputRequired(_l("Complete «%(field)s».", field=_l("Nombre (español)"))), Length(max=120)])
    nombre_en = StringField(_l("Nombre (English)"), validators=[Optional(), Length(max=120)])
    nombre_corto = StringField(_l("Nombre corto"), validators=[InputRequired(_l("Complete «%(field)s».", field=_l("Nombre corto"))), Length(max=60)])
    lema_es = StringField(_l("Lema (español)"), validators=[Optional(), Length(max=160)])
    lema_en = StringField(_l("Lema (English)"), validators=[Optional(), Length(max=160)])
    direccion = StringField(_l("Dirección"), validators=[Optional(), Length(max=200)])
    telefono = StringField(_l("Teléfono"), validators=[Optional(), Length(max=40)])
    correo = StringField(_l("Correo"), validators=[Optional(), Length(max=120)])
    horario_es = StringField(_l("Horario (español)"), validators=[Optional(), Length(max=200)])
    horario_en = StringField(_l("Horario (English)"), validators=[Optional(), Length(max=200)])
    municipios = TextAreaField(_l("Municipios: slug | nombre (uno por línea)"), validators=[InputRequired(_l("Complete «%(field)s».", field=_l("Municipios: slug | nombre (uno por línea)")))])
    colores = TextAreaField(_l("Colores: nombre = #rrggbb (uno por línea)"), validators=[InputRequired(_l("Complete «%(field)s».", field=_l("Colores: nombre = #rrggbb (uno por línea)")))])
    dias_respuesta = IntegerField(_l("Días para responder"), validators=[InputRequired(_l("Complete «%(field)s».", field=_l("Días para responder"))), NumberRange(1, 365, message=_l("Escriba un número del %(min)s al %(max)s."))], invalid_value_message=NOT_A_WHOLE_NUMBER)
    dias_prorroga = IntegerField(_l("Días de prórroga como máximo"), validators=[InputRequired(_l("Complete «%(field)s».", field=_l("Días de prórroga como máximo"))), NumberRange(1, 365, message=_l("Escriba un número del %(min)s al %(max)s."))], invalid_value_message=NOT_A_WHOLE_NUMBER)
    dias_aviso = IntegerField(_l("Días de antelación para pedir la prórroga"), validators=[InputRequired(_l("Complete «%(field)s».", field=_l("Días de antelación para pedir la prórroga"))), NumberRange(1, 365, message=_l("Escriba un número del %(min)s al %(max)s."))], invalid_value_message=NOT_A_WHOLE_NUMBER)
    dias_reenvio = IntegerField(_l("Días para enviar a la entidad competente"), validators=[InputRequired(_l("Complete «%(field)s».", field=_l("Días para enviar a la entidad competente"))), NumberRange(1, 365, message=_l("Escriba un número del %(min)s al %(max)s."))], invalid_value_message=NOT_A_WHOLE_NUMBER)
    dias_conservacion = IntegerField(_l("Días que se conservan los datos personales"), validators=[InputRequired(_l("Complete «%(field)s».", field=_l("Días que se conservan los datos personales"))), NumberRange(30, 36500, message=_l("Escriba un número del %(min)s al %(max)s."))], invalid_value_message=NOT_A_WHOLE_NUMBER)
    smtp_servidor = StringField(_l("Servidor de correo (SMTP)"), validators=[Optional(), Length(max=200)])
    smtp_puerto = IntegerField(_l("Puerto SMTP"), validators=[Optional(), NumberRange(1, 65535, message=_l("Escriba un número del %(min)s al %(max)s."))], invalid_value_message=NOT_A_WHOLE_NUMBER)
    smtp_remitente = StringField(_l("Remitente de los correos"), validators=[Optional(), Length(max=200)])
    aviso_activo = BooleanField(_l("Avisarme por correo de cada mensaje nuevo y de cada respuesta de un ciudadano"))
    aviso_correo = StringField(_l("Correo que recibe los avisos"), validators=[
        Optional(), Length(max=200), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                                            message=_l("Escriba un correo válido, por ejemplo nombre@ejemplo.cu."))])
    logo = FileField(_l("Nuevo logotipo (opcional): JPEG, PNG, WebP o GIF"))


def _values(site):
    limits = site.get("legal_time_limits", {})
    contact = site.get("contact", {})
    address = contact.get("address", "")
    return {
        "nombre_es": site["name"].get("es", ""), "nombre_en": site["name"].get("en", ""),
        "nombre_corto": site.get("short_name", ""), "lema_es": site.get("tagline", {}).get("es", ""),
        "lema_en": site.get("tagline", {}).get("en", ""),
        "direccion": address.get("es", "") if isinstance(address, dict) else address,
        "telefono": contact.get("phone", ""), "correo": contact.get("email", ""),
        "horario_es": (contact.get("hours") or {}).get("es", ""), "horario_en": (contact.get("hours") or {}).get("en", ""),
        "municipios": "\n".join(f"{m['slug']} | {m['name']}" for m in site.get("municipalities", [])),
        "colores": "\n".join(f"{name} = {value}" for name, value in sorted(site.get("colours", {}).items())),
        "dias_respuesta": limits.get("answer_days"), "dias_prorroga": limits.get("extension_days"),
        "dias_aviso": limits.get("extension_notice_days"), "dias_reenvio": limits.get("forward_days"),
        "dias_conservacion": site.get("retention_days"),
        "smtp_servidor": (site.get("smtp") or {}).get("host", ""), "smtp_puerto": (site.get("smtp") or {}).get("port"),
        "smtp_remitente": (site.get("smtp") or {}).get("from", ""),
        "aviso_activo": bool((site.get("notifications") or {}).get("enabled")),
        "aviso_correo": (site.get("notifications") or {}).get("email", ""),
    }


def _site_from(form, site):
    changed = dict(site)
    changed["name"] = {"es": form.nombre_es.data.strip(), "en": form.nombre_en.data.strip() or form.nombre_es.data.strip()}
    changed["short_name"] = form.nombre_corto.data.strip()
    changed["tagline"] = {"es": form.lema_es.data.strip(), "en": form.lema_en.data.strip() or form.lema_es.data.strip()}
    address = site.get("contact", {}).get("address")
    new_address = form.direccion.data.strip()
    changed["contact"] = dict(site.get("contact", {}), phone=form.telefono.data.strip(), email=form.correo.data.strip(),
                              hours={"es": form.horario_es.data.strip(), "en": form.horario_en.data.strip()},
                              address=dict(address, es=new_address) if isinstance(address, dict) else new_address)
    changed["municipalities"] = read_municipalities(form.municipios.data)[0]
    changed["colours"] = read_colours(form.colores.data)[0]
    changed["legal_time_limits"] = {"answer_days": form.dias_respuesta.data, "extension_days": form.dias_prorroga.data,
                                    "extension_notice_days": form.dias_aviso.data, "forward_days": form.dias_reenvio.data}
    changed["retention_days"] = form.dias_conservacion.data
    changed["notifications"] = {"enabled": bool(form.aviso_activo.data), "email": form.aviso_correo.data.strip()}
    if smtp_from_environment():
        pass  # the environment decides; what site.json holds stays as it was
    elif form.smtp_servidor.data.strip():
        changed["smtp"] = dict(site.get("smtp") or {}, host=form.smtp_servidor.data.strip(),
                               port=form.smtp_puerto.data or 25, **{"from": form.smtp_remitente.data.strip()})
    else:
        changed.pop("smtp", None)
    return changed


@bp.route("/ajustes", methods=["GET", "POST"])
@login_required
@fresh_login_required
def settings():
    """Edit site.json; colours that fail WCAG AA contrast are refused with the failing pair named."""
    site = load_site()
    form = SettingsForm(data=_values(site) if request.method == "GET" else None)
    from_environment = smtp_from_environment()
    if from_environment:
        # Shown as they are in force, read-only: typing here would change nothing.
        effective = smtp_settings()
        form.smtp_servidor.data, form.smtp_puerto.data = effective["host"], effective["port"]
        form.smtp_remitente.data = effective["sender"]
    problems, in_use = [], []
    if request.method == "POST" and form.validate() and not _fields_refused(form, site, in_use):
        changed = _site_from(form, site)
        if form.logo.data:
            try:
                changed["logo"] = save_logo(form.logo.data)
            except MediaRefused as refusal:
                problems.append(str(refusal.message))
        problems += [in_panel_language(problem) for problem in site_problems(changed)]
        if not problems:
            save_site(changed)
            audit.record(current_user.username, "settings-saved", address=client_address())
            flash(_l("Ajustes guardados."), "ok")
            return redirect(url_for("admin.settings"), 303)
    return render_template("admin/settings.html", form=form, problems=problems, in_use=in_use,
                           pairs=theme.TEXT_PAIRS, smtp_from_environment=from_environment), \
        400 if (problems or form.errors) else 200


def _fields_refused(form, site, in_use):
    """Put a message on the municipalities and colours that would break pages; True when any did.

    A municipality that content still names is not removed: in_use receives what names it.
    """
    municipalities, errors = read_municipalities(form.municipios.data)
    if not errors:
        in_use.extend(municipalities_in_use(site, municipalities))
        errors = [_l("No se puede quitar «%(name)s»: lo usa todavía el contenido de la lista de debajo. "
                     "Cámbielo allí primero.", name=name) for name, _users in in_use]
    form.municipios.errors = list(form.municipios.errors) + errors
    form.colores.errors = list(form.colores.errors) + read_colours(form.colores.data)[1]
    return bool(form.municipios.errors or form.colores.errors)


@bp.route("/copia-de-seguridad", methods=["GET", "POST"])
@login_required
@fresh_login_required
def backup_download():
    """Download a backup of the whole data folder (a POST, because it writes an archive)."""
    form = FlaskForm()
    if request.method == "POST" and form.validate():
        folder = tempfile.mkdtemp(prefix="redpinar-backup-")
        path = os.path.join(folder, f"redpinar-{date.today().isoformat()}.tar.gz")
        write_backup(path)
        audit.record(current_user.username, "backup-downloaded", address=client_address())

        response = send_file(path, mimetype="application/gzip", as_attachment=True,
                             download_name=os.path.basename(path), max_age=0)
        # The archive holds personal data: it is removed once sent.
        response.call_on_close(lambda: shutil.rmtree(folder, ignore_errors=True))
        return response
    return render_template("admin/backup.html", form=form)


@bp.route("/registro")
@login_required
def audit_log():
    """Who did what and when, newest first; filter by person and action."""
    month = request.args.get("mes", date.today().strftime("%Y-%m"))
    if len(month) != 7 or not month.replace("-", "").isdigit():
        month = date.today().strftime("%Y-%m")
    who, action = request.args.get("quien", "").strip()[:60], request.args.get("accion", "").strip()[:60]
    entries = []
    for entry in audit.recent(month, limit=1000):
        sentence, actor = activity.describe(entry), activity.actor_name(entry)
        if who and who.casefold() not in (entry.get("actor", "").casefold(), actor.casefold()):
            continue
        if action and action not in entry.get("action", "") and action.casefold() not in sentence.casefold():
            continue
        entries.append({"created": entry["created"], "actor": actor, "sentence": sentence,
                        "address": entry.get("address", "")})
        if len(entries) == 300:
            break
    return render_template("admin/audit.html", entries=entries, month=month, who=who, action=action)
