"""Email to citizens who gave an address: the receipt and each change of their message.

Without SMTP settings nothing is sent and the portal says answers are followed with
the code. A failure to send is logged and never loses or blocks the message itself.
"""
import logging
import smtplib
from datetime import date, datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import urlsplit

from babel.dates import format_date
from flask import current_app, g
from flask_babel import force_locale
from flask_babel import gettext as _

from .store.site import localized
from .templating import province_zone
from .urls import public_base, public_url

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10


def smtp_settings():
    """Host, port, user, password and sender, from the environment or site.json (None without a host)."""
    config = current_app.config
    site_smtp = (g.get("site") or {}).get("smtp") or {}
    host = config.get("SMTP_HOST") or site_smtp.get("host")
    if not host:
        return None
    return {
        "host": host,
        "port": int(config.get("SMTP_PORT") or site_smtp.get("port") or 25),
        "user": config.get("SMTP_USER") or site_smtp.get("user"),
        "password": config.get("SMTP_PASSWORD") or site_smtp.get("password"),
        "sender": config.get("SMTP_FROM") or site_smtp.get("from") or f"no-reply@{public_mail_domain()}",
    }


def smtp_from_environment():
    """True when the server's environment sets the SMTP server (the settings page cannot change it)."""
    return bool(current_app.config.get("SMTP_HOST"))


def public_mail_domain():
    """The host of the public address: the sender's domain and the Message-ID's."""
    return urlsplit(public_base()).hostname or "localhost"


def date_in_words(value, language):
    """'15 de marzo de 2026' / 'March 15, 2026' from a date or ISO 8601 text ('' when there is none)."""
    if not value:
        return ""
    if isinstance(value, str):
        # A moment (an answer's time) is dated in the province's zone; a plain date stays as it is.
        value = datetime.fromisoformat(value).astimezone(province_zone()).date() if "T" in value \
            else date.fromisoformat(value)
    return format_date(value, "long", locale=language)


def mail_enabled():
    """True when an SMTP server is configured."""
    return smtp_settings() is not None


def send(to, subject, body):
    """Send one plain-text email; True when the server accepted it."""
    settings = smtp_settings()
    if not settings or not to:
        return False
    message = EmailMessage()
    message["From"] = settings["sender"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(timezone.utc))
    message["Message-ID"] = make_msgid(domain=public_mail_domain())
    message.set_content(body)
    try:
        with smtplib.SMTP(settings["host"], settings["port"], timeout=TIMEOUT_SECONDS) as server:
            if settings["user"]:
                server.starttls()
                server.login(settings["user"], settings["password"] or "")
            server.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("email not sent: %s", error)
        return False
    return True


def _state_lines(submission, event, language):
    """What the email says of the case's state: never a due date once it is answered, merged or closed."""
    # Imported here: the participation package imports this module when it loads.
    from .participation.deadlines import OPEN_STATUSES
    from .participation.forms import STATUS_NAMES
    status = submission.get("status", "")
    if event == "merged" or status == "merged":
        # Only the citizen's own code: the other message and its author stay unknown to them.
        return [_("Su mensaje trataba lo mismo que otro ya recibido: se atienden juntos y la respuesta "
                  "será la misma. Siga su mensaje con su propio código; la respuesta aparecerá allí.")]
    if event == "answered" or status == "answered":
        return [_("Su mensaje recibió respuesta el %(date)s. Puede leerla en la página de seguimiento.",
                  date=date_in_words(submission.get("answered"), language))]
    lines = [_("Estado: %(status)s", status=STATUS_NAMES.get(status, status))]
    if status == "extended" and submission.get("extension"):
        lines.append(_("El plazo se prorrogó. Motivo: %(reason)s", reason=submission["extension"].get("reason", "")))
    if status in OPEN_STATUSES and submission.get("due"):
        lines.append(_("Respuesta a más tardar: %(date)s", date=date_in_words(submission["due"], language)))
    return lines


def _type_name(submission):
    # Imported here: the participation package imports this module when it loads.
    from .participation.forms import SUBMISSION_TYPES
    return SUBMISSION_TYPES.get(submission.get("type"), ("",))[0]


def notify_citizen(submission, event):
    """Tell the citizen, in their language, that their message was received or changed.

    Example messages (shipped with an example province) have no citizen behind them: never emailed.
    """
    if submission.get("example") or not submission.get("email") or not mail_enabled():
        return False
    language = submission.get("language", "es")
    province = localized(g.site.get("name"), language)
    with force_locale(language):
        follow = public_url("participation.tracking")
        subject = {
            "received": _("Recibimos su mensaje %(code)s", code=submission["id"]),
            "answered": _("Su mensaje %(code)s tiene respuesta", code=submission["id"]),
            "merged": _("Su mensaje %(code)s se atiende junto con otro igual", code=submission["id"]),
        }.get(event, _("Novedades de su mensaje %(code)s", code=submission["id"]))
        kind = _type_name(submission)
        lines = [
            _("Código de seguimiento: %(code)s", code=submission["id"]),
            _("Tipo: %(type)s", type=kind) if kind else None,
            _("Asunto: %(subject)s", subject=submission.get("subject", "")) if submission.get("subject") else None,
            *_state_lines(submission, event, language),
            "",
            _("Siga su mensaje en %(address)s con el código y el PIN que le mostramos al enviarlo.", address=follow),
            "",
            province,
        ]
    return send(submission["email"], subject, "\n".join(line for line in lines if line is not None))


def notify_webmaster(submission, event):
    """Tell the webmaster's address (when the settings ask for it) that a message or a citizen's reply arrived."""
    notices = (g.get("site") or {}).get("notifications") or {}
    if submission.get("example") or not notices.get("enabled") or not notices.get("email") or not mail_enabled():
        return False
    with force_locale(g.site.get("default_language", "es")):
        subject = {
            "new": _("Mensaje nuevo %(code)s", code=submission["id"]),
            "reopened": _("El ciudadano reabrió el mensaje %(code)s", code=submission["id"]),
        }.get(event, _("El ciudadano respondió en el mensaje %(code)s", code=submission["id"]))
        kind = _type_name(submission)
        # The text itself stays in the panel, behind the login: the email only points to it.
        lines = [
            subject,
            _("Tipo: %(type)s", type=kind) if kind else None,
            "",
            _("Ábralo en el panel: %(address)s", address=public_url("admin.message", code=submission["id"])),
        ]
    return send(notices["email"], subject, "\n".join(line for line in lines if line is not None))
