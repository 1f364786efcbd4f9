"""The office's day sheet in the panel: the day's appointments by time, marked attended or not, printed, exported."""
import csv
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from redpinar.store import audit
from redpinar.store.appointment_upkeep import anonymise_appointments_before
from redpinar.store.appointments import book, cancel, get_appointment, now_utc
from tests.appointment_helpers import PROCEDURE, make_office
from tests.participation_helpers import hidden_fields, log_in

OFFICE = "oficina-de-prueba"
SHEET = f"/admin/oficinas/{OFFICE}/dia/"
MARK = f"/admin/oficinas/{OFFICE}/dia/marcar"
HAVANA = ZoneInfo("America/Havana")


def tomorrow():
    """Tomorrow in the province (the example's time zone): the first day the test office books."""
    return now_utc().astimezone(HAVANA).date() + timedelta(days=1)


def booked(app, clock, name="Juana Pérez Díaz", card="85010112345", office=OFFICE, day=None):
    """An appointment stored the way the citizen's journey stores it; its code."""
    with app.app_context():
        return book(office, PROCEDURE, day or tomorrow(), clock, {"name": name, "id_card": card, "phone": "",
                                                                    "email": ""}, "x")["id"]


@pytest.fixture
def office(app):
    return make_office(app, weekly={"1": [["08:00", "12:00"]], "2": [["08:00", "12:00"]], "3": [["08:00", "12:00"]],
                                    "4": [["08:00", "12:00"]], "5": [["08:00", "12:00"]], "6": [["08:00", "12:00"]],
                                    "7": [["08:00", "12:00"]]})


@pytest.fixture
def webmaster(app):
    client = app.test_client()
    log_in(app, client)
    return client


def sheet(client, day=None, **query):
    return client.get(SHEET, query_string=dict(query, **({"dia": day.isoformat()} if day else {})))


def mark(client, code, outcome, day=None):
    fields = hidden_fields(sheet(client, day or tomorrow()).get_data(as_text=True))
    return client.post(MARK, data={"csrf_token": fields["csrf_token"], "dia": (day or tomorrow()).isoformat(),
                                   "cita": code, "resultado": outcome})


def test_day_sheet_lists_the_days_appointments_by_time_with_code_name_card_procedure_status(app, office, webmaster):
    late = booked(app, "10:00", name="Pedro Late", card="90020212345")
    early = booked(app, "08:15")
    html = sheet(webmaster, tomorrow()).get_data(as_text=True)
    assert html.index(early) < html.index(late), "the sheet goes by time"
    for text in ("08:15", "Juana Pérez Díaz", "85010112345", "Carné de identidad", "Reservada", "Pedro Late"):
        assert text in html
    assert "2 citas" in html


def test_day_sheet_reads_in_english(app, office, webmaster):
    booked(app, "08:15")
    webmaster.get("/admin/?lang=en")
    html = sheet(webmaster, tomorrow()).get_data(as_text=True)
    assert "Appointments of the day" in html and "Booked" in html and "Attended" in html
    assert "Citas del día" not in html


def test_day_sheet_defaults_to_today_and_links_to_the_previous_and_next_open_day(app, webmaster):
    today = now_utc().astimezone(HAVANA).date()
    # Open on today's weekday only: the neighbours are a week away either side.
    make_office(app, weekly={str(today.isoweekday()): [["08:00", "12:00"]]})
    html = sheet(webmaster).get_data(as_text=True)
    assert f'value="{today.isoformat()}"' in html
    assert f'dia={(today - timedelta(days=7)).isoformat()}" rel="prev"' in html
    assert f'dia={(today + timedelta(days=7)).isoformat()}" rel="next"' in html
    closed = sheet(webmaster, today + timedelta(days=1)).get_data(as_text=True)
    assert "La oficina no atiende este día." in closed


def test_webmaster_marks_attended_and_not_attended_and_can_undo(app, office, webmaster):
    first, second = booked(app, "08:00"), booked(app, "08:15", card="90020212345")
    response = mark(webmaster, first, "attended")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"?dia={tomorrow().isoformat()}#cita-{first}")
    assert mark(webmaster, second, "not_attended").status_code == 303
    with app.app_context():
        assert get_appointment(first)["outcome"] == "attended"
        assert get_appointment(second)["outcome"] == "not_attended"
        assert any(entry["action"] == "appointment-outcome" and entry["target"] == first
                   for entry in audit.recent(now_utc().strftime("%Y-%m")))
    html = sheet(webmaster, tomorrow()).get_data(as_text=True)
    assert "Asistió" in html and "No asistió" in html and "Deshacer" in html
    assert mark(webmaster, first, "").status_code == 303
    with app.app_context():
        assert get_appointment(first)["outcome"] is None


def test_a_cancelled_appointment_is_shown_as_such_and_not_marked(app, office, webmaster):
    code = booked(app, "08:00")
    with app.app_context():
        cancel(code, by="office")
    assert "Anulada" in sheet(webmaster, tomorrow()).get_data(as_text=True)
    response = mark(webmaster, code, "attended")
    assert response.status_code == 303
    with app.app_context():
        assert get_appointment(code)["outcome"] is None


def test_marking_needs_login_and_the_form_token(app, office, webmaster, client):
    code = booked(app, "08:00")
    fields = {"dia": tomorrow().isoformat(), "cita": code, "resultado": "attended"}
    assert client.post(MARK, data=fields).status_code in (302, 303, 400)
    assert client.get(SHEET).status_code in (302, 303)
    assert webmaster.post(MARK, data=fields).status_code == 400
    with app.app_context():
        assert get_appointment(code)["outcome"] is None


@pytest.mark.parametrize("query", ["2026-13-45", "<script>", "x" * 5000, "2026-02-30"])
def test_a_day_that_is_not_a_date_gets_a_clear_message(app, office, webmaster, query):
    response = webmaster.get(SHEET, query_string={"dia": query})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "no es una fecha" in html and "<script>" not in html.split("<main")[1]


@pytest.mark.parametrize("changes, status", [({"resultado": "borrado"}, 400), ({"dia": "ayer"}, 400),
                                             ({"cita": "NADA-NADA"}, 404), ({"cita": "../../x"}, 404)])
def test_hostile_marks_are_refused(app, office, webmaster, changes, status):
    code = booked(app, "08:00")
    fields = hidden_fields(sheet(webmaster, tomorrow()).get_data(as_text=True))
    data = {"csrf_token": fields["csrf_token"], "dia": tomorrow().isoformat(), "cita": code, "resultado": "attended"}
    assert webmaster.post(MARK, data=dict(data, **changes)).status_code == status


def test_an_appointment_of_another_office_is_not_marked_from_this_sheet(app, office, webmaster):
    make_office(app, slug="otra-oficina")
    other = booked(app, "08:00", office="otra-oficina")
    assert mark(webmaster, other, "attended").status_code == 404


def test_hostile_names_are_shown_escaped_and_exported_safe(app, office, webmaster):
    booked(app, "08:00", name='<script>alert("x")</script>')
    booked(app, "08:15", name="=HYPERLINK(\"http://x\")", card="90020212345")
    html = sheet(webmaster, tomorrow()).get_data(as_text=True)
    assert '<script>alert("x")</script>' not in html and "&lt;script&gt;" in html
    response = webmaster.get(SHEET + "citas.csv", query_string={"dia": tomorrow().isoformat()})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["Hora", "Código", "Nombre", "Carné de identidad", "Trámite", "Estado"]
    assert rows[2][2] == "'=HYPERLINK(\"http://x\")"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_csv_export_is_in_english_too_and_needs_login(app, office, webmaster, client):
    booked(app, "08:00")
    webmaster.get("/admin/?lang=en")
    rows = webmaster.get(SHEET + "citas.csv", query_string={"dia": tomorrow().isoformat()}).get_data(as_text=True)
    assert rows.lstrip("\ufeff").startswith("Time;Code;Name;Identity card;Procedure;Status")
    assert client.get(SHEET + "citas.csv").status_code in (302, 303)
    assert webmaster.get(SHEET + "citas.csv", query_string={"dia": "nada"}).status_code == 404


def test_purged_personal_data_is_shown_as_purged(app, office, webmaster):
    booked(app, "08:00", name="Nombre Que Se Borra")
    with app.app_context():
        anonymise_appointments_before((tomorrow() + timedelta(days=1)).isoformat())
    html = sheet(webmaster, tomorrow()).get_data(as_text=True)
    assert "Nombre Que Se Borra" not in html and "85010112345" not in html
    assert "Datos personales borrados (plazo de conservación)" in html
    exported = webmaster.get(SHEET + "citas.csv", query_string={"dia": tomorrow().isoformat()}).get_data(as_text=True)
    assert "(datos borrados: plazo de conservación)" in exported and "Nombre Que Se Borra" not in exported


def test_an_unknown_office_has_no_day_sheet(webmaster):
    assert webmaster.get("/admin/oficinas/no-existe/dia/").status_code == 404
    assert webmaster.get("/admin/oficinas/%3Cb%3E/dia/").status_code == 404
