"""Email to citizens who gave an address: the receipt and each change of their message.

Without SMTP settings nothing is sent and the portal says answers are followed with
the code. A failure to send is logged and never loses or blocks the message itself.
"""
import logging
import smtplib
from email.message import EmailMessage

from flask import current_app, g
from flask_babel import force_locale
from flask_babel import gettext as _

from .store.site import localized
from .urls import public_url

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
        "sender": config.get("SMTP_FROM") or site_smtp.get("from") or f"no-reply@{host}",
    }


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
    message.set_content(body)
    try:
        with smtplib.SMTP(settings["host"], settings["port"], timeout=TIMEOUT_SECONDS) as server:
            if settings["user"]:
                server.starttls()
                server.login(settings["user"], settings["password"] or "")
            server.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("email to a citizen not sent: %s", error)
        return False
    return True


def notify_citizen(submission, event):
    """Tell the citizen, in their language, that their message was received or changed.

    Example messages (shipped with an example province) have no citizen behind them: never emailed.
    """
    if submission.get("example") or not submission.get("email") or not mail_enabled():
        return False
    province = localized(g.site.get("name"), submission.get("language", "es"))
    with force_locale(submission.get("language", "es")):
        follow = public_url("participation.tracking")
        subject = {
            "received": _("Recibimos su mensaje %(code)s", code=submission["id"]),
            "answered": _("Su mensaje %(code)s tiene respuesta", code=submission["id"]),
            "merged": _("Su mensaje %(code)s se atiende junto con otro igual", code=submission["id"]),
        }.get(event, _("Novedades de su mensaje %(code)s", code=submission["id"]))
        lines = [
            _("Código de seguimiento: %(code)s", code=submission["id"]),
            _("Respuesta a más tardar: %(date)s", date=submission.get("due", "")),
            "",
            _("Siga su mensaje en %(address)s con el código y el PIN que le mostramos al enviarlo.", address=follow),
            "",
            province,
        ]
        if event == "merged":
            # Only the citizen's own code: the other message and its author stay unknown to them.
            lines[1] = _("Su mensaje trataba lo mismo que otro ya recibido: se atienden juntos y la respuesta "
                         "será la misma. Siga su mensaje con su propio código; la respuesta aparecerá allí.")
    return send(submission["email"], subject, "\n".join(lines))
