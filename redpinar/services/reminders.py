"""The reminder email a citizen receives the day before an appointment."""
from flask import g
from flask_babel import force_locale
from flask_babel import gettext as _

from ..mail import mail_enabled, send
from ..store import NotFound
from ..store.appointment_upkeep import send_reminders
from ..store.offices import get_office
from ..store.site import load_site, localized
from ..store.slots import parse_day
from ..urls import public_url
from .wording import procedure_title, when_in_words


def reminder_email(appointment):
    """(subject, body) of the reminder, in the language the citizen booked in."""
    language = appointment.get("language") if appointment.get("language") in ("es", "en") else "es"
    try:
        office = get_office(appointment["office"])
    except NotFound:
        office = {"name": {"es": appointment["office"]}, "address": ""}
    with force_locale(language):
        when = when_in_words(parse_day(appointment["day"]), appointment["time"], language)
        subject = _("Recordatorio: su cita de mañana, %(when)s", when=when)
        lines = [
            _("Le recordamos su cita:"),
            "",
            _("Día y hora: %(when)s", when=when),
            _("Trámite: %(procedure)s", procedure=procedure_title(appointment["procedure"], language)),
            _("Oficina: %(office)s", office=localized(office.get("name"), language)),
            _("Dirección: %(address)s", address=office.get("address", "")),
            _("Código de seguimiento: %(code)s", code=appointment["id"]),
            "",
            _("Si no puede ir, anule o cambie la cita en %(address)s con el código y el PIN: otra persona "
              "podrá usar la plaza.", address=public_url("participation.tracking")),
            "",
            localized(load_site().get("name"), language),
        ]
    return subject, "\n".join(lines)


def notify_appointment_change(appointment, event):
    """Tell the citizen by email, in their language, that the office moved or cancelled their appointment.

    For the panel (a new schedule that no longer holds an appointment). Sent only when an email was
    given and SMTP is configured; True when the server accepted it.
    """
    if appointment.get("example") or not appointment.get("email") or not mail_enabled():
        return False
    language = appointment.get("language") if appointment.get("language") in ("es", "en") else "es"
    with force_locale(language):
        when = when_in_words(parse_day(appointment["day"]), appointment["time"], language)
        if event == "cancelled":
            subject = _("Su cita %(code)s fue anulada por la oficina", code=appointment["id"])
            first = _("La oficina anuló su cita del %(when)s. Puede pedir otra en %(address)s.", when=when,
                      address=public_url("services.appointments"))
        else:
            subject = _("Su cita %(code)s cambió de hora", code=appointment["id"])
            first = _("La oficina cambió su cita. Nueva hora: %(when)s.", when=when)
        lines = [first, "", _("Código de seguimiento: %(code)s", code=appointment["id"]),
                 _("Vea, cambie o anule su cita en %(address)s con el código y el PIN.",
                   address=public_url("participation.tracking"))]
    return send(appointment["email"], subject, "\n".join(lines))


def remind_tomorrow():
    """Send tomorrow's reminders once each; returns (sent, failed), or None when no SMTP server is set."""
    g.site = load_site()
    if not mail_enabled():
        return None

    def deliver(appointment):
        if appointment.get("example"):
            return True  # an example has no citizen behind it: marked, never emailed
        subject, body = reminder_email(appointment)
        return send(appointment["email"], subject, body)

    return send_reminders(deliver)
