"""The reminder email the day before an appointment: sent once, whatever happens."""
import pytest

from redpinar.services import reminders
from tests.appointment_helpers import book, booked_code, free_times, make_office
from tests.conftest import make_app
from tests.test_inbox import Mailbox


@pytest.fixture
def mailbox():
    """A local SMTP server for the test."""
    box = Mailbox()
    box.controller.start()
    yield box
    box.controller.stop()


def tomorrows_appointments(app, count, email="juana@example.cu", language_path=lambda path: path):
    """Book `count` appointments tomorrow at a test office, each by another person with an email."""
    make_office(app, places=count)
    codes = []
    for number in range(count):
        client = app.test_client()
        hora = free_times(client, "oficina-de-prueba")[0]
        codes.append(booked_code(book(client, office="oficina-de-prueba", hora=hora,
                                      carne=f"9001011{number:04d}", correo=email)))
    return codes


def test_reminders_are_sent_the_day_before_once_whatever_the_runs(data_dir, mailbox):
    app = make_app(data_dir, SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port)
    codes = tomorrows_appointments(app, 2)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["send-reminders"])
    assert "Sent 2 reminder(s)" in first.output, first.output
    assert len(mailbox.messages) == 2
    recipients, content = mailbox.messages[0]
    assert recipients == ["juana@example.cu"] and any(code in content for code in codes)
    assert "Recordatorio" in content and "Calle de prueba 1" in content
    again = runner.invoke(args=["send-reminders"])
    assert "Sent 0 reminder(s)" in again.output and len(mailbox.messages) == 2


def test_a_crash_half_way_sends_nothing_twice(data_dir, mailbox, monkeypatch):
    app = make_app(data_dir, SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port)
    tomorrows_appointments(app, 3)
    real_send = reminders.send
    calls = []

    def send_then_die(to, subject, body):
        calls.append(to)
        if len(calls) == 2:
            real_send(to, subject, body)
            raise SystemExit("the process died right after the server took the second email")
        return real_send(to, subject, body)

    monkeypatch.setattr(reminders, "send", send_then_die)
    app.test_cli_runner().invoke(args=["send-reminders"])
    assert len(mailbox.messages) == 2
    monkeypatch.setattr(reminders, "send", real_send)
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert "Sent 1 reminder(s)" in result.output, result.output
    assert len(mailbox.messages) == 3
    app.test_cli_runner().invoke(args=["send-reminders"])
    assert len(mailbox.messages) == 3


def test_a_refused_reminder_is_tried_again_on_the_next_run(data_dir, mailbox, monkeypatch):
    app = make_app(data_dir, SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port)
    tomorrows_appointments(app, 1)
    monkeypatch.setattr(reminders, "send", lambda to, subject, body: False)
    assert "1 could not be sent" in app.test_cli_runner().invoke(args=["send-reminders"]).output
    monkeypatch.undo()
    assert "Sent 1 reminder(s)" in app.test_cli_runner().invoke(args=["send-reminders"]).output
    assert len(mailbox.messages) == 1


def test_without_smtp_no_reminder_is_sent_and_none_is_marked(app, mailbox):
    tomorrows_appointments(app, 1)
    assert "No SMTP server" in app.test_cli_runner().invoke(args=["send-reminders"]).output
    assert mailbox.messages == []


def test_a_cancelled_appointment_gets_no_reminder(data_dir, mailbox):
    app = make_app(data_dir, SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port)
    make_office(app, places=1)
    client = app.test_client()
    code = booked_code(book(client, office="oficina-de-prueba", correo="juana@example.cu"))
    from tests.participation_helpers import hidden_fields
    client.post(f"/citas/cita/{code}/anular", data=hidden_fields(client.get(f"/citas/cita/{code}/anular").get_data(as_text=True)))
    assert "Sent 0 reminder(s)" in app.test_cli_runner().invoke(args=["send-reminders"]).output
    assert mailbox.messages == []


def test_the_office_can_tell_the_citizen_of_a_moved_or_cancelled_appointment_in_their_language(data_dir, mailbox):
    from tests.language import english
    from tests.participation_helpers import hidden_fields
    from redpinar.services.reminders import notify_appointment_change
    from redpinar.store import appointments
    app = make_app(data_dir, SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port)
    make_office(app, places=1)
    client = app.test_client()
    hora = free_times(client, "oficina-de-prueba")[0]
    page = client.get(english(f"/citas/oficina-de-prueba/reservar?tramite=carne-identidad&hora={hora}"))
    data = dict(hidden_fields(page.get_data(as_text=True)), nombre="Ann", carne="90010100001",
                correo="ann@example.cu", accion="confirmar")
    code = booked_code(client.post(english("/citas/oficina-de-prueba/reservar?tramite=carne-identidad"), data=data))
    with app.test_request_context():
        assert notify_appointment_change(appointments.cancel(code, by="webmaster"), "cancelled")
    recipients, content = mailbox.messages[-1]
    assert recipients == ["ann@example.cu"] and "cancelled by the office" in content and code in content
