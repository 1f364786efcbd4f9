"""Nothing personal leaks: merges, published questions, erasing one's data, CSV files, links, one's own data."""
import csv
import io
import json
from datetime import date, timedelta

import pytest

from redpinar.store import content, submissions
from tests.conftest import make_app
from tests.participation_helpers import (hidden_fields, log_in, post_form, receipt_pin, sent_code, submit_message,
                                         without_examples)
from tests.test_inbox import act, mailbox, stored  # noqa: F401 (mailbox is a fixture)
from tests.test_pages import page_text

KEPT_SUBJECT = "Bache enorme en la calle Martí de Guane"
KEPT_MESSAGE = "Frente a mi casa, la de la puerta azul, hay un bache donde ya se cayó un ciclista."
ANSWER = "La brigada de viales lo repara esta semana."


def follow_page(client, code):
    """The tracking page of a code the client sent (its receipt opens it)."""
    response = client.get(f"/seguimiento/{code}/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def two_duplicates(client_kept, client_duplicate, **duplicate_fields):
    """(kept code, duplicate code): the same pothole reported by two citizens."""
    kept = sent_code(submit_message(client_kept, asunto=KEPT_SUBJECT, mensaje=KEPT_MESSAGE, nombre="Rosa Llanes"))
    duplicate = sent_code(submit_message(client_duplicate, asunto="Bache en la calle Martí",
                                         mensaje="Hay un bache peligroso en la calle Martí.", **duplicate_fields))
    return kept, duplicate


# ---- Merging a duplicate ----

def test_a_merged_message_never_shows_the_other_citizens_code_and_reads_the_answer_given_there(app, client):
    rosa, pedro, office = app.test_client(), app.test_client(), app.test_client()
    kept, duplicate = two_duplicates(rosa, pedro)
    log_in(app, office)
    assert act(office, duplicate, "unir", **{"merge-codigo": kept}).status_code == 303
    assert stored(app, duplicate)["merged_into"] == kept  # the webmaster still knows

    page = follow_page(pedro, duplicate)
    assert kept not in page
    assert KEPT_SUBJECT not in page and "Rosa Llanes" not in page and "puerta azul" not in page
    assert "Unido a otro mensaje" in page_text(pedro.get(f"/seguimiento/{duplicate}/"))
    mine = pedro.get(f"/seguimiento/{duplicate}/mis-datos.json").get_data(as_text=True)
    assert kept not in mine and "puerta azul" not in mine
    assert duplicate not in follow_page(rosa, kept)

    act(office, kept, "responder", **{"answer-respuesta": ANSWER})
    page = follow_page(pedro, duplicate)
    assert ANSWER in page and kept not in page and KEPT_SUBJECT not in page
    assert ANSWER in pedro.get(f"/seguimiento/{duplicate}/mis-datos.json").get_data(as_text=True)
    assert ANSWER in follow_page(rosa, kept)


def test_the_author_of_a_merged_message_is_told_by_email_with_only_their_own_code(data_dir, mailbox):
    app = make_app(data_dir, SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port, SMTP_FROM="portal@pinar.example.cu")
    rosa, pedro, office = app.test_client(), app.test_client(), app.test_client()
    kept, duplicate = two_duplicates(rosa, pedro, respuesta="correo", correo="pedro@example.cu")
    log_in(app, office)
    received = len(mailbox.messages)
    act(office, duplicate, "unir", **{"merge-codigo": kept})
    assert len(mailbox.messages) == received + 1
    recipients, mail = mailbox.messages[-1]
    assert recipients == ["pedro@example.cu"]
    assert duplicate in mail and "se atiende junto con otro igual" in mail
    assert kept not in mail and "Rosa" not in mail

    act(office, kept, "responder", **{"answer-respuesta": ANSWER})
    recipients, mail = mailbox.messages[-1]
    assert recipients == ["pedro@example.cu"] and "tiene respuesta" in mail and kept not in mail


# ---- Publishing a question ----

def question(client, **fields):
    """A question whose author agreed to publication; returns its code."""
    values = dict(tipo="pregunta", publicar="y", tema="salud", asunto="¿Abre el policlínico el sábado?")
    values.update(fields)
    return sent_code(submit_message(client, **values))


def publish(office, code, **fields):
    """The webmaster posts the publishing form; returns the text of the page it leads back to."""
    response = act(office, code, "publicar", **fields)
    assert response.status_code == 303
    return page_text(office.get(response.headers["Location"]))


def test_publishing_a_question_needs_the_webmaster_to_tick_that_they_reviewed_it(app, client):
    code = question(client)
    log_in(app, client)
    act(client, code, "responder", **{"answer-respuesta": "Sí, de 8 a 12."})
    page = client.get(f"/admin/mensajes/{code}/").get_data(as_text=True)
    assert "¿Abre el policlínico el sábado?</textarea>" in page and "Sí, de 8 a 12.</textarea>" in page  # prefilled
    refused = publish(client, code, **{"faq-pregunta": "¿Abre el policlínico el sábado?",
                                       "faq-respuesta_publica": "Sí, de 8 a 12."})
    assert "Marque que leyó la pregunta y la respuesta" in refused
    assert "faq" not in stored(app, code)
    publish(client, code, **{"faq-pregunta": "¿Abre el policlínico el sábado?",
                             "faq-respuesta_publica": "Sí, de 8 a 12.", "faq-revisado": "y"})
    assert "¿Abre el policlínico el sábado?" in page_text(client.get("/temas/salud/"))


PERSONAL_QUESTION = "¿Puede Pedro Privado llamar al 48 752233 por lo del carné 85010112345?"
PERSONAL_ANSWER = "Sí. Escriba también a consultas.pedro@example.cu y pregunte por Luisa Fernández."


def test_names_phones_emails_and_identity_numbers_are_flagged_before_publishing(app, client):
    code = question(client, nombre="Pedro Privado", asunto=PERSONAL_QUESTION)
    log_in(app, client)
    act(client, code, "responder", **{"answer-respuesta": PERSONAL_ANSWER})
    page = page_text(client.get(f"/admin/mensajes/{code}/"))
    assert "Posibles datos personales en el texto:" in page
    for found in ("nombre: Pedro Privado", "teléfono: 48 752233", "número de identidad: 85010112345",
                  "correo: consultas.pedro@example.cu", "nombre: Luisa Fernández"):
        assert found in page, found
    flagged = {"faq-pregunta": PERSONAL_QUESTION, "faq-respuesta_publica": PERSONAL_ANSWER, "faq-revisado": "y"}
    refused = publish(client, code, **flagged)
    assert "puede tener datos personales" in refused and "85010112345" in refused
    assert "faq" not in stored(app, code)
    # Cleaned up, it is published without a second tick...
    publish(client, code, **{"faq-pregunta": "¿Dónde se renueva el carné?",
                             "faq-respuesta_publica": "En la oficina de su municipio.", "faq-revisado": "y"})
    assert stored(app, code)["faq"]["question"] == "¿Dónde se renueva el carné?"
    # ...and flagged text only when the webmaster says they reviewed the flags.
    publish(client, code, **dict(flagged, **{"faq-datos_revisados": "y"}))
    assert stored(app, code)["faq"]["question"] == PERSONAL_QUESTION


def test_a_published_question_can_be_withdrawn_from_the_portal(app, client):
    without_examples(app)
    code = question(client)
    log_in(app, client)
    publish(client, code, **{"faq-pregunta": "¿Abre el policlínico el sábado?",
                             "faq-respuesta_publica": "Sí, de 8 a 12.", "faq-revisado": "y"})
    assert "¿Abre el policlínico el sábado?" in page_text(client.get("/temas/salud/"))
    assert act(client, code, "retirar-pregunta").status_code == 303
    assert "faq" not in stored(app, code)
    assert "¿Abre el policlínico el sábado?" not in page_text(client.get("/temas/salud/"))
    assert json.loads(client.get("/datos/preguntas.json").get_data()) == []


# ---- Erasing one's data ----

def erase_with_confirmation(client, code):
    """The citizen opens the confirmation page and confirms; returns the response of the post."""
    return post_form(client, f"/seguimiento/{code}/borrar", f"/seguimiento/{code}/borrar")


def test_erasing_ones_data_asks_for_confirmation_first(app, client):
    code = sent_code(submit_message(client))
    confirmation = client.get(f"/seguimiento/{code}/borrar")
    assert confirmation.status_code == 200
    text = page_text(confirmation)
    assert "No se puede deshacer" in text and "Retirado por el ciudadano" in text
    assert f'href="/seguimiento/{code}/borrar"' in client.get(f"/seguimiento/{code}/").get_data(as_text=True)
    # A post that did not come from the confirmation's button erases nothing.
    token_only = {"csrf_token": hidden_fields(confirmation.get_data(as_text=True))["csrf_token"]}
    assert client.post(f"/seguimiento/{code}/borrar", data=token_only).status_code == 200
    assert stored(app, code)["name"] == "María Pérez"
    assert client.post(f"/seguimiento/{code}/borrar", data={"confirmar": "si"}).status_code == 400
    assert stored(app, code)["name"] == "María Pérez"
    assert erase_with_confirmation(client, code).status_code == 303
    assert stored(app, code)["name"] == ""


def test_erasing_closes_the_case_as_withdrawn_and_stops_its_clock(app, client):
    without_examples(app)
    code = sent_code(submit_message(client))
    with app.app_context():
        submissions.update_submission(code, {"due": (date.today() - timedelta(days=3)).isoformat()})
    office = app.test_client()
    log_in(app, office)
    assert "1 atrasados hoy" in page_text(client.get("/transparencia/"))
    erase_with_confirmation(client, code)
    assert stored(app, code)["status"] == "withdrawn"
    assert "Retirado por el ciudadano" in page_text(office.get(f"/admin/mensajes/{code}/"))
    assert code not in office.get("/admin/mensajes/?atrasados=1").get_data(as_text=True)
    assert "0 atrasados hoy" in page_text(client.get("/transparencia/"))
    tracking = page_text(client.get(f"/seguimiento/{code}/"))
    assert "Retirado por el ciudadano" in tracking and "atrasada" not in tracking
    # Nothing the webmaster does starts its clock again.
    refused = act(office, code, "estado", **{"status-estado": "in_progress"})
    assert "No se puede" in page_text(office.get(refused.headers["Location"]))
    assert stored(app, code)["status"] == "withdrawn"


def test_erasing_ones_data_takes_the_published_question_off_the_portal(app, client):
    without_examples(app)
    code = question(client)
    office = app.test_client()
    log_in(app, office)
    act(office, code, "responder", **{"answer-respuesta": "Sí, de 8 a 12."})
    publish(office, code, **{"faq-pregunta": "¿Abre el policlínico el sábado?",
                             "faq-respuesta_publica": "Sí, de 8 a 12.", "faq-revisado": "y"})
    assert "¿Abre el policlínico el sábado?" in page_text(client.get("/temas/salud/"))
    erase_with_confirmation(client, code)
    assert "¿Abre el policlínico el sábado?" not in page_text(client.get("/temas/salud/"))
    assert "policlínico" not in client.get("/datos/preguntas.csv").get_data(as_text=True)


# ---- CSV files and links ----

FORMULAS = ["=HYPERLINK(\"http://x.example\",\"Pulse\")", "+1+2", "-3+4", "@SUMA(A1)"]


def cells(body):
    return [cell for row in csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";") for cell in row]


def test_every_csv_neutralises_cells_that_could_run_as_formulas(app, client):
    code = question(client, asunto="@SUMA(A1) en la libreta")
    log_in(app, client)
    publish(client, code, **{"faq-pregunta": FORMULAS[0], "faq-respuesta_publica": FORMULAS[2],
                             "faq-revisado": "y"})
    sent_code(submit_message(client, asunto=FORMULAS[1] + " medicamentos"))
    public = cells(client.get("/datos/preguntas.csv").get_data(as_text=True))
    assert "'" + FORMULAS[0] in public and "'" + FORMULAS[2] in public
    panel = cells(client.get("/admin/mensajes.csv").get_data(as_text=True))
    assert "'@SUMA(A1) en la libreta" in panel and "'+1+2 medicamentos" in panel
    for cell in public + panel:
        assert not cell.startswith(("=", "+", "-", "@")), cell


@pytest.fixture
def editor(app, client):
    log_in(app, client)
    return client


def save_procedure(client, forms):
    path = "/admin/contenido/procedures/nuevo"
    form = hidden_fields(client.get(path).get_data(as_text=True))
    return client.post(path, data=dict(form, title_es="Licencia de pesca", summary_es="Para pescar.",
                                       forms=forms, municipalities="", accion="guardar"))


@pytest.mark.parametrize("address", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<b>x</b>",
                                     "//evil.example/solicitud.pdf", "/\\evil.example", "vbscript:x",
                                     "ftp://files.example/f.pdf", "solicitud.pdf"])
def test_link_fields_refuse_anything_but_web_addresses_and_site_paths(app, editor, address):
    response = save_procedure(editor, f"Solicitud | {address}")
    assert response.status_code == 400
    assert "no se acepta: use una dirección web que empiece por https://" in page_text(response)
    with app.app_context():
        assert not content.find_documents("procedures", slug="licencia-de-pesca")


@pytest.mark.parametrize("address", ["https://www.gob.cu/solicitud.pdf", "http://pinar.gob.cu/f", "/medios/0123456789abcdef.pdf"])
def test_link_fields_accept_web_addresses_and_site_paths(editor, address):
    assert save_procedure(editor, f"Solicitud | {address}").status_code == 303


def test_check_flags_a_stored_link_that_is_not_a_web_address(app, runner):
    with app.app_context():
        content.insert_document("procedures", {"slug": "mala", "title": {"es": "Mala"},
                                               "forms": [{"title": "Pulse", "url": "javascript:alert(1)"}]})
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1
    assert "javascript:alert(1)" in result.output and "neither an http(s) address nor a path" in result.output


# ---- One's own data ----

def test_the_citizens_own_data_names_the_role_that_acted_not_the_account(app, client):
    code = sent_code(submit_message(client, tipo="pregunta", publicar="y"))
    pin = receipt_pin(client, code)
    office = app.test_client()
    log_in(app, office, username="ana.gomez")
    act(office, code, "reenviar", **{"forward-entidad": "direccion-salud"})
    act(office, code, "prorrogar", **{"extend-dias": "10", "extend-motivo": "Falta un informe"})
    act(office, code, "nota", **{"note-nota": "Llamar el lunes"})
    act(office, code, "responder", **{"answer-respuesta": "Hecho."})
    act(office, code, "publicar", **{"faq-pregunta": "¿Pregunta?", "faq-respuesta_publica": "Respuesta.",
                                     "faq-revisado": "y"})
    assert stored(app, code)["history"][-1]["by"] == "ana.gomez"  # the panel keeps who did it
    body = client.get(f"/seguimiento/{code}/mis-datos.json").get_data(as_text=True)
    assert "ana.gomez" not in body and "Llamar el lunes" not in body and pin not in body
    mine = json.loads(body)
    assert {step["by"] for step in mine["history"] if step.get("by")} == {"webmaster"}
    assert mine["extension"]["by"] == mine["faq"]["by"] == "webmaster"
    assert "notes" not in mine and "pin_hash" not in mine
