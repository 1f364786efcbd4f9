"""Following an online request: tracking, more information, decisions, guards against bots and floods, emails."""
import re

import pytest

from redpinar.store import NotFound
from redpinar.store.request_forms import latest_form, save_form
from redpinar.store.requests import NotAllowed, add_internal_note, get_request, list_requests, set_status
from tests.language import english
from tests.participation_helpers import hidden_fields
from tests.request_helpers import SLUG, confirm, jpeg_bytes, minimal_pdf, post_request_form, send_request
from tests.test_pages import page_text
from tests.test_requests import text


def test_the_tracking_page_opens_a_request_with_its_code_and_pin(app, client):
    code, pin = send_request(client)
    visitor = app.test_client()
    assert visitor.get(f"/seguimiento/solicitudes/{code}/").status_code == 404
    form = hidden_fields(visitor.get("/seguimiento/").get_data(as_text=True))
    opened = visitor.post("/seguimiento/", data=dict(form, codigo=code, pin=pin))
    assert opened.status_code == 303 and opened.headers["Location"].endswith(f"/seguimiento/solicitudes/{code}/")
    page = page_text(visitor.get(f"/seguimiento/solicitudes/{code}/"))
    assert "Recibida" in page and "Cambio de domicilio" in page and "85031512345" in page


def test_the_citizen_answers_a_request_for_more_information_with_a_file(app, client):
    code, _pin = send_request(client)
    with app.app_context():
        set_status(code, "in_review", "webmaster")
        set_status(code, "more_info", "webmaster", "Falta la firma del propietario.")
        add_internal_note(code, "Llamar al registro antes de decidir.", "webmaster")
    page = client.get(f"/seguimiento/solicitudes/{code}/")
    assert "Falta la firma del propietario." in page_text(page)
    assert "Llamar al registro" not in page_text(page)
    answered = client.post(f"/seguimiento/solicitudes/{code}/informacion", content_type="multipart/form-data",
                           data=dict(hidden_fields(page.get_data(as_text=True)), texto="Adjunto la autorización.",
                                     **{"q-archivo": (__import__("io").BytesIO(jpeg_bytes()), "firma.jpg")}))
    assert answered.status_code == 303
    with app.app_context():
        stored = get_request(code)
    assert stored["status"] == "in_review" and stored["more_info"][0]["text"] == "Adjunto la autorización."
    assert [entry["name"] for entry in stored["files"]] == ["contrato.pdf", "firma.jpg"]
    assert [step["status"] for step in stored["history"]] == ["received", "in_review", "more_info", "in_review"]
    assert "firma.jpg" in page_text(client.get(f"/seguimiento/solicitudes/{code}/"))
    # No longer waiting: a second answer is refused clearly.
    again = client.post(f"/seguimiento/solicitudes/{code}/informacion",
                        data=dict(hidden_fields(page.get_data(as_text=True)), texto="Otra cosa"))
    assert again.status_code == 400 and "no espera más información" in page_text(again)


def test_a_ready_request_says_what_to_do_next_and_a_refused_one_gives_the_reason(app, client):
    ready, _ = send_request(client)
    refused, _ = send_request(client)
    with app.app_context():
        set_status(ready, "ready", "webmaster", "Recoja su certificado en la oficina.")
        set_status(refused, "refused", "webmaster", "La vivienda no está inscrita.")
    assert "Su trámite está listo. Recoja su certificado en la oficina." in page_text(
        client.get(f"/seguimiento/solicitudes/{ready}/"))
    refused_page = page_text(client.get(english(f"/seguimiento/solicitudes/{refused}/")))
    assert "Your request was refused. Reason: La vivienda no está inscrita." in refused_page


def test_the_store_keeps_the_order_of_statuses_and_asks_for_reasons(app, client):
    code, _ = send_request(client)
    with app.app_context():
        with pytest.raises(NotAllowed):
            set_status(code, "refused", "webmaster", "")
        with pytest.raises(NotAllowed):
            set_status(code, "more_info", "webmaster", " ")
        set_status(code, "ready", "ana")
        with pytest.raises(NotAllowed):
            set_status(code, "in_review", "ana")
        closed = set_status(code, "closed", "ana", "Entregado.")
        assert [(step["status"], step["by"]) for step in closed["history"]] == [
            ("received", ""), ("ready", "ana"), ("closed", "ana")]
        assert list_requests(procedure=SLUG, status="closed")[0]["id"] == code
        assert list_requests(procedure="otro") == [] and list_requests(status="received") == []
        with pytest.raises(NotFound):
            get_request("ZZZZ-ZZZZ")


def test_a_bot_that_fills_the_hidden_field_gets_a_receipt_for_nothing(app, client):
    checked = post_request_form(client, files={"documento": (minimal_pdf(), "a.pdf")}, website="http://spam.example")
    fake = confirm(client, checked.get_data(as_text=True))
    assert fake.status_code == 200 and "Solicitud recibida" in page_text(fake)
    with app.app_context():
        assert list_requests() == []


def test_a_form_sent_too_fast_comes_back_with_its_answers(data_dir):
    from tests.conftest import make_app
    app = make_app(data_dir, FORM_MIN_SECONDS=60)
    client = app.test_client()
    checked = post_request_form(client, files={"documento": (minimal_pdf(), "a.pdf")})
    again = confirm(client, checked.get_data(as_text=True))
    assert again.status_code == 400 and 'value="85031512345"' in again.get_data(as_text=True)
    with app.app_context():
        assert list_requests() == []


def test_one_address_sends_a_limited_number_of_requests_an_hour(data_dir):
    from tests.conftest import make_app
    client = make_app(data_dir, RATE_LIMITS=True).test_client()
    for _ in range(5):
        send_request(client)
    checked = post_request_form(client, files={"documento": (minimal_pdf(), "a.pdf")})
    refused = confirm(client, checked.get_data(as_text=True))
    assert refused.status_code == 429 and 'value="85031512345"' in refused.get_data(as_text=True)


def test_an_expired_form_token_brings_the_answers_back(client):
    page = client.get(f"/tramites/{SLUG}/solicitar").get_data(as_text=True)
    page = page.replace('name="csrf_token" value="', 'name="csrf_token" value="caducado')
    refused = post_request_form(client, files={"documento": (minimal_pdf(), "a.pdf")}, start_page=page)
    assert refused.status_code == 400 and 'value="85031512345"' in refused.get_data(as_text=True)
    assert "caducó" in page_text(refused)


def test_the_receipt_and_each_change_are_emailed_when_an_email_was_given(data_dir, mailbox):
    from redpinar.services.handling import change_status
    from tests.conftest import make_app
    app = make_app(data_dir, SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port)
    client = app.test_client()
    code, pin = send_request(client, **{"q-correo": "maria@example.cu"})
    assert len(mailbox.messages) == 1
    recipients, content = mailbox.messages[0]
    assert recipients == ["maria@example.cu"] and code in content and pin not in content
    with app.test_request_context():
        app.preprocess_request()
        change_status(code, "more_info", "webmaster", "Falta la firma.")
    assert len(mailbox.messages) == 2 and "Falta la firma." in mailbox.messages[1][1]
    send_request(client)  # no email given: nothing sent
    assert len(mailbox.messages) == 2


from tests.test_inbox import mailbox  # noqa: E402,F401  (a fixture)


def test_a_kept_card_offers_online_requests_as_soon_as_its_form_is_saved(app, client):
    from redpinar.store import content
    with app.app_context():
        procedure = content.find_documents("procedures", slug="carne-identidad")[0]
        content.update_document("procedures", procedure["id"], {"online": True})
    assert "Solicitar en línea" not in page_text(client.get("/tramites/carne-identidad/"))
    with app.app_context():
        save_form("carne-identidad", [{"key": "a", "type": "short_text", "label": text("A", "A"), "required": True}],
                  "webmaster")
    assert "Solicitar en línea" in page_text(client.get("/tramites/carne-identidad/"))


def test_a_request_registered_for_a_citizen_who_came_in_person_is_followed_like_any_other(app, client):
    from redpinar.services.handling import register_request
    from redpinar.store import catalogue
    with app.test_request_context():
        app.preprocess_request()
        procedure = catalogue.by_slug("procedures", SLUG)
        saved, pin = register_request(procedure, latest_form(SLUG), {"nombre": "Juan Díaz", "declaro": True}, [],
                                      channel="in_person")
    assert saved["channel"] == "in_person" and saved["status"] == "received"
    form = hidden_fields(client.get("/seguimiento/").get_data(as_text=True))
    opened = client.post("/seguimiento/", data=dict(form, codigo=saved["id"], pin=pin))
    assert opened.status_code == 303
    assert "Juan Díaz" in page_text(client.get(f"/seguimiento/solicitudes/{saved['id']}/"))


def test_the_drafts_page_of_messages_opens_a_request_draft_in_its_own_form(app, client):
    saved = post_request_form(client, files={"documento": (minimal_pdf(), "contrato.pdf")}, accion="borrador")
    shown = page_text(client.get(saved.headers["Location"]))
    code = re.search(r"Código del borrador ([A-Z0-9]{4}-[A-Z0-9]{4})", shown).group(1)
    pin = re.search(r"PIN (\d{6})", shown).group(1)
    other = app.test_client()
    page = other.get("/participa/borrador/").get_data(as_text=True)
    resumed = other.post("/participa/borrador/", data=dict(hidden_fields(page), codigo=code, pin=pin))
    html = resumed.get_data(as_text=True)
    assert resumed.status_code == 200 and "Ya adjuntó: contrato.pdf" in html and 'value="85031512345"' in html
