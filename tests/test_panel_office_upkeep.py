"""A new schedule never silently drops an appointment: the office page lists the ones that no longer fit until
each is moved or cancelled, and the citizen is told by email in their language."""
import re
from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest

from redpinar.store.appointments import book, get_appointment
from tests.conftest import make_app
from tests.participation_helpers import hidden_fields, log_in
from tests.test_appointment_reminders import mailbox  # noqa: F401  (a fixture)
from tests.test_panel_offices import add_special_day, created, post_office

HAVANA = ZoneInfo("America/Havana")
PAGE = "/admin/oficinas/oficina-de-identificacion-de-pinar-del-rio/"
SLUG = "oficina-de-identificacion-de-pinar-del-rio"


def next_monday():
    """A Monday at least two days ahead (the office of the tests opens on Mondays, books from tomorrow)."""
    day = datetime.now(HAVANA).date() + timedelta(days=2)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def booked(app, clock="08:00", card="85010112345", email="", language="es", day=None):
    with app.app_context():
        return book(SLUG, "carne-identidad", day or next_monday(), clock,
                    {"name": "Juana Pérez Díaz", "id_card": card, "phone": "", "email": email}, "x",
                    language=language)["id"]


def webmaster_of(app):
    client = app.test_client()
    log_in(app, client)
    return client


@pytest.fixture
def webmaster(app):
    return webmaster_of(app)


def settle(client, code, action, **fields):
    data = dict(hidden_fields(client.get(PAGE).get_data(as_text=True)), **fields)
    return client.post(f"{PAGE}citas/{code}/{action}", data=data)


def offered_times(client, code):
    """The free times offered to move an appointment, as the select lists them."""
    html = client.get(PAGE).get_data(as_text=True)
    select = re.search(rf'<select id="hora-{code}" name="hora">(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]+)"', select)


def closing_mondays(client):
    return post_office(client, PAGE, d1_1_inicio="", d1_1_fin="", d1_2_inicio="", d1_2_fin="")


def test_a_schedule_that_closes_a_booked_day_lists_the_appointment_and_keeps_it(app, webmaster):
    created(webmaster)
    code = booked(app)
    assert "Citas que no caben" not in webmaster.get(PAGE).get_data(as_text=True)
    assert closing_mondays(webmaster).status_code == 303
    html = unescape(webmaster.get(PAGE).get_data(as_text=True))
    assert "1 cita ya reservada no cabe en el horario nuevo" in html
    assert "Citas que no caben" in html and code in html and "Juana Pérez Díaz" in html
    with app.app_context():
        assert get_appointment(code)["status"] == "booked", "nothing is dropped silently"
    assert code in webmaster.get(PAGE).get_data(as_text=True), "the list stays until it is empty"


def test_a_closed_special_day_lists_the_appointments_of_that_day(app, webmaster):
    created(webmaster)
    code = booked(app)
    assert add_special_day(webmaster, PAGE, fecha=next_monday().isoformat(), cerrado="y").status_code == 303
    assert f'id="no-cabe-{code}"' in webmaster.get(PAGE).get_data(as_text=True)


def test_fewer_places_list_the_latest_booked_of_a_slot(app, webmaster):
    created(webmaster)
    first, second = booked(app), booked(app, card="90020212345")
    post_office(webmaster, PAGE, puestos="1")
    html = webmaster.get(PAGE).get_data(as_text=True)
    assert f'id="no-cabe-{second}"' in html and f'id="no-cabe-{first}"' not in html


def test_webmaster_moves_an_appointment_and_the_citizen_is_told_in_english(data_dir, mailbox):  # noqa: F811
    app = make_app(data_dir, SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port)
    webmaster = webmaster_of(app)
    created(webmaster)
    code = booked(app, email="juana@example.cu", language="en")
    closing_mondays(webmaster)
    target = offered_times(webmaster, code)[0]
    assert not target.startswith(next_monday().isoformat())
    response = settle(webmaster, code, "mover", hora=target)
    assert response.status_code == 303 and response.headers["Location"].endswith("#no-caben")
    with app.app_context():
        moved = get_appointment(code)
    assert (moved["day"], moved["time"], moved["status"]) == (target[:10], target[11:], "booked")
    assert "Citas que no caben" not in webmaster.get(PAGE).get_data(as_text=True), "the list is empty now"
    [(recipients, message)] = mailbox.messages
    assert "juana@example.cu" in recipients and "has a new time" in message


def test_webmaster_cancels_an_appointment_and_the_citizen_is_told_in_spanish(data_dir, mailbox):  # noqa: F811
    app = make_app(data_dir, SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port)
    webmaster = webmaster_of(app)
    created(webmaster)
    code = booked(app, email="juana@example.cu")
    closing_mondays(webmaster)
    assert settle(webmaster, code, "anular").status_code == 303
    with app.app_context():
        assert get_appointment(code)["status"] == "cancelled"
    assert "Citas que no caben" not in webmaster.get(PAGE).get_data(as_text=True)
    [(recipients, message)] = mailbox.messages
    assert "fue anulada por la oficina" in message


def test_without_an_email_the_panel_says_to_tell_the_person_another_way(app, webmaster):
    created(webmaster)
    code = booked(app)
    closing_mondays(webmaster)
    settle(webmaster, code, "anular")
    assert "avísele por otra vía" in webmaster.get(PAGE).get_data(as_text=True)


def test_the_list_reads_in_english(app, webmaster):
    created(webmaster)
    booked(app)
    closing_mondays(webmaster)
    webmaster.get("/admin/?lang=en")
    html = webmaster.get(PAGE).get_data(as_text=True)
    assert '<h2 id="no-caben-titulo">Appointments that no longer fit</h2>' in html and "Move or cancel" in html


@pytest.mark.parametrize("hora", ["nada", "", "2026-02-30T08:00", "<script>x</script>", "2099-01-01T08:00"])
def test_a_hostile_or_gone_time_is_refused_with_a_message(app, webmaster, hora):
    created(webmaster)
    code = booked(app)
    closing_mondays(webmaster)
    response = settle(webmaster, code, "mover", hora=hora)
    assert response.status_code == 303
    with app.app_context():
        assert get_appointment(code)["day"] == next_monday().isoformat()
    html = unescape(webmaster.get(PAGE).get_data(as_text=True))
    assert "no se movió" in html or "Elija una hora libre" in html
    assert "<script>x</script>" not in html


def test_moving_and_cancelling_need_login_the_form_token_and_an_appointment_of_the_office(app, webmaster, client):
    created(webmaster)
    code = booked(app)
    closing_mondays(webmaster)
    assert client.post(f"{PAGE}citas/{code}/anular").status_code in (302, 303, 400)
    assert webmaster.post(f"{PAGE}citas/{code}/anular").status_code == 400
    assert settle(webmaster, "NADA-NADA", "anular").status_code == 404
    assert settle(webmaster, code, "anular").status_code == 303
    assert webmaster.post(f"/admin/oficinas/carne-identidad-pinar-del-rio/citas/{code}/anular",
                          data=hidden_fields(webmaster.get(PAGE).get_data(as_text=True))).status_code == 404
    with app.app_context():
        assert get_appointment(code)["status"] == "cancelled"
