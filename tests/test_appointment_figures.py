"""Appointment figures on /transparencia/ and in /datos/: per office and month, and today's wait for a free time."""
import calendar
import csv
import io
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from redpinar.store.appointments import book, cancel, set_outcome
from tests.appointment_helpers import PROCEDURE, make_office
from tests.language import english

HAVANA = ZoneInfo("America/Havana")
OFFICE = "oficina-de-prueba"


def province_day(days=0):
    return datetime.now(HAVANA).date() + timedelta(days=days)


def person(number):
    return {"name": f"Persona {number}", "id_card": f"850101{number:05d}", "phone": "", "email": ""}


def book_many(app, day, times, office=OFFICE):
    """Appointments of different people at `times` on `day`; their codes."""
    with app.app_context():
        return [book(office, PROCEDURE, day, clock, person(number), "x")["id"] for number, clock in enumerate(times)]


def table(client, name):
    response = client.get(f"/datos/{name}.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return json.loads(response.get_data(as_text=True))


def test_open_data_counts_places_offered_booked_cancelled_attended_and_not_attended(app, client):
    make_office(app)
    day = province_day(1)
    codes = book_many(app, day, ["08:00", "08:15", "08:30", "08:45"])
    with app.app_context():
        cancel(codes[0])
        set_outcome(codes[1], "attended")
        set_outcome(codes[2], "not_attended")
    [row] = [row for row in table(client, "citas") if row["office"] == OFFICE and row["month"] == day.isoformat()[:7]]
    days_in_month = calendar.monthrange(day.year, day.month)[1]
    assert row["offered"] == 16 * 3 * days_in_month, "open 8:00-12:00 in 15-minute slots, 3 places, every day"
    assert (row["booked"], row["cancelled"], row["attended"], row["not_attended"]) == (3, 1, 1, 1)
    assert row["office_es"] == "Oficina de prueba" and row["office_en"] == "Test office"


def test_days_until_the_first_free_time_follow_the_booking_window_and_full_days(app, client):
    make_office(app, book_from_days=3)
    make_office(app, slug="oficina-llena", places=1, book_until_days=1,
                weekly={str(weekday): [["08:00", "08:30"]] for weekday in range(1, 8)})
    book_many(app, province_day(1), ["08:00", "08:15"], office="oficina-llena")
    waits = {row["office"]: row["days_until_first_free"] for row in table(client, "citas-espera")}
    assert waits[OFFICE] == 3
    assert waits["oficina-llena"] is None
    html = client.get("/transparencia/").get_data(as_text=True)
    assert "ninguna hora libre" in html
    assert '<svg role="img" aria-labelledby="grafico-espera"' in html


def test_transparency_shows_the_figures_as_a_chart_and_a_table_in_spanish(app, client):
    make_office(app, book_from_days=2)
    book_many(app, province_day(2), ["08:00", "08:15"])
    html = client.get("/transparencia/").get_data(as_text=True)
    section = html[html.index('<h2 id="citas">'):]
    assert "Citas en las oficinas" in section and "Días de espera" in section
    assert '<th scope="row">Oficina de prueba</th><td>2</td>' in section, "the wait in the table beside the chart"
    assert "Plazas ofrecidas" in section and "No se presentaron" in section
    assert '<td data-label="Reservadas">2</td>' in section


def test_transparency_shows_the_figures_in_english(app, client):
    make_office(app)
    book_many(app, province_day(1), ["08:00"])
    html = client.get(english("/transparencia/")).get_data(as_text=True)
    section = html[html.index('<h2 id="citas">'):]
    assert "Appointments at offices" in section and "Test office" in section and "Places offered" in section
    assert "Citas en las oficinas" not in section
    assert "Appointments: figures by office" in client.get(english("/datos/")).get_data(as_text=True)


def test_open_data_page_documents_the_appointment_tables(client):
    html = client.get("/datos/").get_data(as_text=True)
    for link in ("/datos/citas.csv", "/datos/citas.json", "/datos/citas-espera.csv", "/datos/citas-espera.json"):
        assert f'href="{link}"' in html
    assert "<code>days_until_first_free</code>" in html and "<code>not_attended</code>" in html


def test_office_names_are_safe_in_csv_and_escaped_on_the_page(app, client):
    make_office(app, name={"es": '=HYPERLINK("http://x")', "en": "<script>alert(1)</script>"})
    rows = list(csv.reader(io.StringIO(client.get("/datos/citas.csv").get_data(as_text=True).lstrip("\ufeff")),
                           delimiter=";"))
    assert rows[0][:4] == ["office", "office_es", "office_en", "month"]
    assert ["'=HYPERLINK(\"http://x\")"] == [row[1] for row in rows if row[0] == OFFICE][:1]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    english_page = client.get(english("/transparencia/")).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in english_page and "&lt;script&gt;alert(1)&lt;/script&gt;" in english_page


@pytest.mark.parametrize("path", ["/datos/citas.xml", "/datos/citas-espera.html", "/datos/citas%00.csv",
                                  "/datos/..%2Fcitas.csv"])
def test_unknown_appointment_tables_are_not_found(client, path):
    assert client.get(path).status_code in (404, 308)


def test_a_long_history_stays_light_on_the_page(app, client):
    for number in range(30):
        make_office(app, slug=f"oficina-{number:02d}", name={"es": f"Oficina de Identificación número {number}",
                                                           "en": f"Identity office number {number}"})
    response = client.get("/transparencia/", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert len(response.get_data()) < 30 * 1024
