"""Figures of online requests by procedure and of cases by channel, on /transparencia/ and in /datos/;
no group under 5 is shown apart."""
import csv
import io
import json
from datetime import date, timedelta

import pytest

from redpinar.store import submissions
from redpinar.store.requests import import_requests
from tests.language import english
from tests.participation_helpers import without_examples
from tests.test_pages import page_text
from tests.request_helpers import SLUG

SMALL = "licencia-construccion"


def stored_request(number, procedure, created, resolved_after=None, due_after=10, channel="web"):
    """A request as the store keeps it, resolved resolved_after days after it arrived (or still open)."""
    received = date.fromisoformat(created)
    document = {"id": f"RQST-{number:04d}", "created": f"{created}T14:00:00+00:00", "procedure": procedure,
                "status": "received", "channel": channel, "due": (received + timedelta(days=due_after)).isoformat(),
                "answers": {}, "questions": [], "files": [], "history": []}
    if resolved_after is not None:
        document.update(status="ready",
                        resolved=f"{(received + timedelta(days=resolved_after)).isoformat()}T15:00:00+00:00")
    return document


def stored_message(number, channel=None):
    """A message as the store keeps it (channel None: stored before channels were recorded)."""
    document = {"id": f"MSGE-{number:04d}", "created": "2026-10-01T14:00:00+00:00", "type": "queja", "topic": "salud",
                "entity": "no-se", "municipality": "guane", "subject": "Asunto", "message": "Texto del mensaje",
                "status": "received", "due": "2026-10-31", "history": []}
    if channel:
        document["channel"] = channel
    return document


@pytest.fixture
def figures(app):
    """Six requests for the change of address (four resolved: 2, 4, 6 and 12 days, three on time), two for a
    building licence; requests: 5 online, 2 in person, 1 by phone; messages: 6 online, 2 by letter."""
    without_examples(app)
    requests = [stored_request(1, SLUG, "2026-10-01", 2), stored_request(2, SLUG, "2026-10-02", 4),
                stored_request(3, SLUG, "2026-10-03", 6), stored_request(4, SLUG, "2026-10-04", 12),
                stored_request(5, SLUG, "2026-10-05", channel="in_person"),
                stored_request(6, SLUG, "2026-10-06", channel="in_person"),
                stored_request(7, SMALL, "2026-10-07", 1, channel="phone"), stored_request(8, SMALL, "2026-10-08")]
    messages = [stored_message(number) for number in range(4)] + [stored_message(4, "web"), stored_message(5, "web")] \
        + [stored_message(6, "letter"), stored_message(7, "letter")]
    with app.app_context():
        import_requests(requests)
        submissions.import_submissions(messages)


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))


def test_requests_by_procedure_are_counted_with_their_median(client, figures):
    rows = json.loads(client.get("/datos/solicitudes.json").get_data(as_text=True))
    assert rows[0] == {"procedure": SLUG, "procedure_es": "Cambio de domicilio", "procedure_en": rows[0]["procedure_en"],
                       "received": 6, "resolved": 4, "resolved_on_time": 3, "median_days": 5.0}


def test_procedures_with_fewer_than_five_requests_are_added_up_as_others(client, figures):
    rows = json.loads(client.get("/datos/solicitudes.json").get_data(as_text=True))
    assert [row["procedure"] for row in rows] == [SLUG, "(otros)"]
    assert rows[1]["received"] == 2 and rows[1]["resolved"] == 1
    assert SMALL not in client.get("/datos/solicitudes.csv").get_data(as_text=True)
    assert sum(row["received"] for row in rows) == 8


def test_channels_count_messages_and_requests_and_hide_groups_under_five(client, figures):
    rows = {row["channel"]: row for row in json.loads(client.get("/datos/vias.json").get_data(as_text=True))}
    assert rows["web"]["messages"] == 6 and rows["web"]["requests"] == 5
    assert rows["in_person"]["requests"] is None and rows["phone"]["requests"] is None
    assert rows["letter"]["messages"] is None and rows["letter"]["requests"] == 0
    table = csv_rows(client.get("/datos/vias.csv"))
    assert table[0] == ["channel", "channel_es", "channel_en", "messages", "requests"]
    assert ["letter", "Por carta", "By letter", "", "0"] in table


def test_transparency_page_shows_requests_and_channels_in_spanish(client, figures):
    text = page_text(client.get("/transparencia/"))
    assert "Solicitudes en línea por trámite" in text and "Cambio de domicilio" in text
    assert "Otros (trámites con menos de 5 solicitudes)" in text and "menos de 5" in text
    section = text.split("Solicitudes en línea por trámite")[1].split("Por vía de entrada")[0]
    assert "Licencia de construcción" not in section


def test_transparency_page_shows_requests_and_channels_in_english(client, figures):
    text = page_text(client.get(english("/transparencia/")))
    assert "Online requests by procedure" in text and "By channel" in text and "fewer than 5" in text
    assert "Days to resolve (median)" in text


def test_open_data_page_describes_the_new_tables(client, figures):
    text = page_text(client.get("/datos/"))
    assert "/datos/solicitudes.csv" in client.get("/datos/").get_data(as_text=True)
    assert "median_days" in text and "in_person" in text
    assert "/datos/vias.json" in client.get(english("/datos/")).get_data(as_text=True)


def test_figures_without_requests_say_so(client, app):
    without_examples(app)
    assert "Todavía no se ha recibido ninguna solicitud en línea." in page_text(client.get("/transparencia/"))
    assert json.loads(client.get("/datos/solicitudes.json").get_data(as_text=True)) == []
