"""Public figures add up, open data is the same for everyone, CSV opens in a Spanish spreadsheet, and the
days allowed to send a message to the competent entity are watched."""
import csv
import io
import json
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from redpinar.store import submissions
from tests.language import english
from tests.participation_helpers import log_in, post_form, sent_code, submit_message, without_examples
from tests.test_pages import page_text

HAVANA = ZoneInfo("America/Havana")
TABLES = ("meses", "tipos", "temas", "entidades", "municipios")
# Nine answered messages whose every breakdown has groups under five: October's two messages, one message
# to the Dirección Provincial de Educación, one about education, two from Mantua…
EXAMPLE = (
    [("2025-09-0%dT14:00:00+00:00" % day, "queja", "salud", "direccion-salud", "guane") for day in range(1, 6)]
    + [("2025-09-20T14:00:00+00:00", "queja", "salud", "direccion-salud", "vinales"),
       ("2025-10-02T14:00:00+00:00", "pregunta", "salud", "direccion-salud", "mantua"),
       ("2025-10-03T14:00:00+00:00", "pregunta", "educacion", "direccion-educacion", "mantua"),
       ("2025-11-04T14:00:00+00:00", "queja", "salud", "direccion-salud", "vinales")]
)


def answered_message(number, created, kind, topic, entity, municipality):
    """An answered message as the store keeps it."""
    received = date.fromisoformat(created[:10])
    return {"id": f"TEST-{number:04d}", "created": created, "type": kind, "topic": topic, "entity": entity,
            "municipality": municipality, "subject": "Asunto", "message": "Texto del mensaje", "name": "",
            "status": "answered", "due": (received + timedelta(days=30)).isoformat(),
            "forward_by": (received + timedelta(days=5)).isoformat(), "forwarded_on": received.isoformat(),
            "forwarded_to": entity, "answered": created, "answer": "Respuesta",
            "history": [{"status": "received", "at": created, "note": ""}]}


@pytest.fixture(autouse=True)
def counted_from_an_empty_inbox(app):
    """These tests count exact figures: the example province's own example messages are removed first."""
    without_examples(app)


@pytest.fixture
def example_messages(app):
    """The nine messages of this file, stored."""
    with app.app_context():
        submissions.import_submissions([answered_message(number, *fields) for number, fields in enumerate(EXAMPLE)])
    return len(EXAMPLE)


def csv_rows(response):
    """The rows of a CSV download, read the way a Spanish spreadsheet reads it."""
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))


def stored(app, code):
    with app.app_context():
        return submissions.get_submission(code)


def act(client, code, action, **fields):
    return post_form(client, f"/admin/mensajes/{code}/", f"/admin/mensajes/{code}/{action}", **fields)


@pytest.mark.parametrize("name", TABLES)
def test_every_open_data_table_adds_up_to_the_total_received(client, example_messages, name):
    rows = json.loads(client.get(f"/datos/{name}.json").get_data(as_text=True))
    assert sum(row["messages"] for row in rows) == example_messages
    assert all(row["messages"] >= 5 for row in rows[:-1])  # no group under five shown apart
    assert sum(int(row[-1]) for row in csv_rows(client.get(f"/datos/{name}.csv"))[1:]) == example_messages


def test_small_groups_are_one_others_row_instead_of_vanishing(client, example_messages):
    months = json.loads(client.get("/datos/meses.json").get_data(as_text=True))
    assert [(row["month"], row["messages"]) for row in months] == [("2025-09", 6), ("(otros)", 3)]
    assert months[0]["month_es"] == "septiembre de 2025" and months[0]["month_en"] == "September 2025"
    entities = json.loads(client.get("/datos/entidades.json").get_data(as_text=True))
    assert [(row["entity"], row["messages"]) for row in entities] == [("direccion-salud", 8), ("(otros)", 1)]
    assert entities[1]["entity_es"] == "Otros (grupos de menos de 5)"


def test_every_table_on_the_transparency_page_adds_up_to_the_total(client, example_messages):
    html = client.get("/transparencia/").get_data(as_text=True)
    assert f"{example_messages} mensajes recibidos" in page_text(client.get("/transparencia/"))
    tables = re.findall(r'<table class="figures">.*?</table>', html, flags=re.S)
    assert len(tables) == 5  # type, topic, municipality, entity, month
    for table in tables:
        assert sum(int(count) for count in re.findall(r"<td>(\d+)</td>", table)) == example_messages
    months = page_text(client.get("/transparencia/")).split("Por mes")[-1]
    assert "septiembre de 2025" in months and "Otros (grupos de menos de 5) 3" in months


def test_open_data_has_stable_columns_with_a_code_and_a_label_per_language(client, example_messages):
    expected = {"meses": "month", "tipos": "type", "temas": "topic", "entidades": "entity", "municipios": "municipality"}
    for name, column in expected.items():
        rows = json.loads(client.get(f"/datos/{name}.json").get_data(as_text=True))
        assert list(rows[0]) == [column, f"{column}_es", f"{column}_en", "messages"]
        assert csv_rows(client.get(f"/datos/{name}.csv"))[0] == [column, f"{column}_es", f"{column}_en", "messages"]
    types = json.loads(client.get("/datos/tipos.json").get_data(as_text=True))
    assert types[0] == {"type": "queja", "type_es": "Queja", "type_en": "Complaint", "messages": 7}
    topics = json.loads(client.get("/datos/temas.json").get_data(as_text=True))
    assert topics[0] == {"topic": "salud", "topic_es": "Salud", "topic_en": "Health", "messages": 8}
    assert "entidade" not in client.get("/datos/entidades.csv").get_data(as_text=True)


@pytest.mark.parametrize("name", TABLES + ("preguntas",))
@pytest.mark.parametrize("extension", ("csv", "json"))
def test_open_data_files_are_the_same_in_every_language(app, example_messages, name, extension):
    path = f"/datos/{name}.{extension}"
    spanish = app.test_client().get(path).get_data()
    assert app.test_client().get(english(path)).get_data() == spanish
    assert app.test_client().get(path, headers={"Accept-Language": "en"}).get_data() == spanish
    remembered = app.test_client()
    remembered.set_cookie("lang", "en")
    assert remembered.get(path).get_data() == spanish


def test_the_open_data_page_documents_every_column(client):
    text = page_text(client.get("/datos/"))
    for column in ("month_es", "type_en", "topic", "entity_es", "entity_en", "municipality_en", "messages",
                   "question", "answer", "published", "(otros)"):
        assert column in text
    assert "punto y coma" in text and "UTF-8" in text
    assert "Columns" in page_text(client.get(english("/datos/")))


def test_public_csv_opens_in_a_spanish_spreadsheet(app, client, example_messages):
    body = client.get("/datos/tipos.csv").get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark
    assert body.decode("utf-8-sig").splitlines()[0] == "type;type_es;type_en;messages"
    log_in(app, client)
    code = sent_code(submit_message(client, tipo="pregunta", publicar="y", asunto="¿Abre el policlínico?"))
    act(client, code, "responder", **{"answer-respuesta": "Sí."})
    act(client, code, "publicar", **{"faq-pregunta": "¿Abre el policlínico?", "faq-respuesta_publica": "Sí.",
                                     "faq-revisado": "y"})
    published = datetime.fromisoformat(stored(app, code)["faq"]["published"]).astimezone(HAVANA)
    questions = csv_rows(client.get("/datos/preguntas.csv"))
    assert questions[0] == ["topic", "topic_es", "topic_en", "question", "answer", "published"]
    assert questions[1] == ["salud", "Salud", "Health", "¿Abre el policlínico?", "Sí.",
                            published.strftime("%Y-%m-%d %H:%M")]
    entry = json.loads(client.get("/datos/preguntas.json").get_data(as_text=True))[0]
    assert datetime.fromisoformat(entry["published"]) == published.replace(second=0)


def test_panel_csv_has_names_and_local_times_for_a_spanish_spreadsheet(app, client):
    code = sent_code(submit_message(client, asunto="=HYPERLINK(\"http://malo\")"))
    log_in(app, client)
    response = client.get("/admin/mensajes.csv")
    assert response.get_data().startswith(b"\xef\xbb\xbf")
    header, row = csv_rows(response)
    saved = stored(app, code)
    received = datetime.fromisoformat(saved["created"]).astimezone(HAVANA).strftime("%Y-%m-%d %H:%M")
    assert header[:9] == ["Código", "Recibido", "Vence", "Tipo", "Estado", "Tema", "Entidad", "Municipio", "Asunto"]
    assert row[:8] == [code, received, saved["due"], "Queja", "Recibido", "Salud", "No lo sabe", "Guane"]
    assert row[8].startswith("'=")  # still no formula
    act(client, code, "reenviar", **{"forward-entidad": "direccion-salud"})
    row = csv_rows(client.get("/admin/mensajes.csv"))[1]
    assert row[4] == "Enviado a la entidad competente" and row[6] == "Dirección Provincial de Salud"


def test_a_new_message_must_reach_the_entity_within_the_province_s_forwarding_days(app, client):
    code = sent_code(submit_message(client))
    received = datetime.fromisoformat(stored(app, code)["created"]).astimezone(HAVANA).date()
    assert stored(app, code)["forward_by"] == (received + timedelta(days=5)).isoformat()
    log_in(app, client)
    assert "Enviar a la entidad antes de" in page_text(client.get(f"/admin/mensajes/{code}/"))


def test_a_message_not_forwarded_in_time_is_flagged_filtered_and_counted(app, client):
    late = sent_code(submit_message(client, asunto="Sin enviar"))
    in_time = sent_code(submit_message(client, asunto="Recién llegado"))
    with app.app_context():
        submissions.update_submission(late, {"forward_by": (date.today() - timedelta(days=3)).isoformat()})
    log_in(app, client)
    inbox = client.get("/admin/mensajes/").get_data(as_text=True)
    late_row = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{late}.*?</tr>", inbox, flags=re.S).group(0)
    assert 'class="overdue"' in late_row and "sin enviar a la entidad competente, fuera de plazo" in late_row
    in_time_row = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{in_time}.*?</tr>", inbox, flags=re.S).group(0)
    assert "fuera de plazo" not in in_time_row
    overdue = client.get("/admin/mensajes/?atrasados=1").get_data(as_text=True)
    assert late in overdue and in_time not in overdue
    assert "sin enviar a la entidad competente, fuera de plazo" in page_text(client.get(f"/admin/mensajes/{late}/"))
    figures = page_text(client.get("/transparencia/"))
    assert "1 sin enviar a la entidad competente y fuera de plazo hoy" in figures
    assert "0 enviados a la entidad competente fuera de plazo" in figures


def test_a_message_forwarded_after_the_deadline_counts_as_forwarded_late(app, client):
    late = sent_code(submit_message(client))
    in_time = sent_code(submit_message(client))
    with app.app_context():
        submissions.update_submission(late, {"forward_by": (date.today() - timedelta(days=3)).isoformat()})
    log_in(app, client)
    for code in (late, in_time):
        act(client, code, "reenviar", **{"forward-entidad": "direccion-salud"})
    assert stored(app, late)["forwarded_on"] > stored(app, late)["forward_by"]
    assert "enviado a la entidad competente fuera de plazo" in page_text(client.get(f"/admin/mensajes/{late}/"))
    assert "fuera de plazo" not in page_text(client.get(f"/admin/mensajes/{in_time}/"))
    assert late not in client.get("/admin/mensajes/?atrasados=1").get_data(as_text=True)
    figures = page_text(client.get("/transparencia/"))
    assert "1 enviados a la entidad competente fuera de plazo" in figures
    assert "0 sin enviar a la entidad competente y fuera de plazo hoy" in figures
    first_forward = stored(app, late)["forwarded_on"]
    act(client, late, "reenviar", **{"forward-entidad": "direccion-educacion"})
    assert stored(app, late)["forwarded_on"] == first_forward  # the deadline measures the first forwarding


def test_an_answer_without_forwarding_owes_no_forwarding(app, client):
    code = sent_code(submit_message(client))
    with app.app_context():
        submissions.update_submission(code, {"forward_by": (date.today() - timedelta(days=3)).isoformat()})
    log_in(app, client)
    act(client, code, "responder", **{"answer-respuesta": "Lo resolvió el propio gobierno provincial."})
    assert "fuera de plazo" not in page_text(client.get(f"/admin/mensajes/{code}/"))
    assert "0 sin enviar a la entidad competente y fuera de plazo hoy" in page_text(client.get("/transparencia/"))
