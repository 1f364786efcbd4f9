"""Assisted entry: the office registers a message or a request for a citizen who came in person, phoned or wrote."""
import io
import re

import pytest

from redpinar.store.requests import get_request
from redpinar.store.submissions import get_submission
from tests.participation_helpers import MESSAGE, hidden_fields, log_in, sent_code, submit_message
from tests.request_helpers import ANSWERS, SLUG, minimal_pdf


@pytest.fixture
def office(app):
    """A logged-in webmaster's client."""
    client = app.test_client()
    log_in(app, client)
    return client


def register_message(office, **changes):
    page = "/admin/registrar/mensaje"
    fields = {key: value for key, value in MESSAGE.items() if key != "accion"}
    data = dict(hidden_fields(office.get(page).get_data(as_text=True)), canal="phone", idioma="es", **fields)
    data.update(changes)
    return office.post(page, data={key: value for key, value in data.items() if value is not None})


def register_request(office, files=None, **changes):
    page = f"/admin/registrar/tramite/{SLUG}"
    data = dict(hidden_fields(office.get(page).get_data(as_text=True)), **ANSWERS, **{"caso-canal": "in_person"})
    data.update(changes)
    data = {key: value for key, value in data.items() if value is not None}
    for question, (content, name) in (files or {"documento": (minimal_pdf(), "contrato.pdf")}).items():
        data[f"q-{question}"] = (io.BytesIO(content), name)
    return office.post(page, data=data, content_type="multipart/form-data")


def receipt_code_and_pin(office, response):
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    html = office.get(response.headers["Location"]).get_data(as_text=True)
    code = re.search(r'<dd class="code">([A-Z0-9]{4}-[A-Z0-9]{4})</dd>', html).group(1)
    pin = re.search(r'<dt>PIN</dt><dd class="code">(\d{6})</dd>', html).group(1)
    return code, pin, html


def follow(app, code, pin):
    citizen = app.test_client()
    page = citizen.get("/seguimiento/").get_data(as_text=True)
    return citizen, citizen.post("/seguimiento/", data=dict(hidden_fields(page), codigo=code, pin=pin))


def test_office_registers_a_phoned_message_and_hands_over_code_and_pin(app, office):
    code, pin, receipt = receipt_code_and_pin(office, register_message(office))
    with app.app_context():
        saved = get_submission(code)
    assert saved["channel"] == "phone" and saved["status"] == "received" and saved["due"]
    assert "Por teléfono" in receipt and "admin-bar" in receipt  # the bar is hidden when printed
    citizen, found = follow(app, code, pin)
    assert found.status_code in (302, 303)
    assert "Falta de medicamentos" in citizen.get(found.headers["Location"]).get_data(as_text=True)
    assert code in office.get("/admin/mensajes/").get_data(as_text=True)
    assert "Por teléfono" in office.get(f"/admin/mensajes/{code}/").get_data(as_text=True)


def test_messages_sent_on_the_web_record_the_web_channel(app):
    code = sent_code(submit_message(app.test_client()))
    with app.app_context():
        assert get_submission(code)["channel"] == "web"


def test_office_registers_a_request_in_person_with_its_file(app, office):
    code, pin, receipt = receipt_code_and_pin(office, register_request(office))
    with app.app_context():
        saved = get_request(code)
    assert saved["channel"] == "in_person" and saved["files"][0]["by"] == "office"
    assert "En persona" in receipt
    citizen, found = follow(app, code, pin)
    assert found.status_code in (302, 303)
    page = office.get(f"/admin/solicitudes/{code}/").get_data(as_text=True)
    assert "contrato.pdf" in page and "En persona" in page


def test_assisted_request_needs_the_channel_and_valid_answers(app, office):
    refused = register_request(office, **{"caso-canal": "web", "q-carne": "123"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert 'href="#caso-canal"' in html and "Elija cómo llegó el caso." in html and "11 cifras" in html


def test_assisted_request_explains_its_problems_in_english(app, office):
    office.get("/admin/?lang=en")
    html = register_request(office, **{"q-carne": "123"}).get_data(as_text=True)
    assert "The identity card number has 11 digits" in html and "Número de carné" not in html


def test_assisted_message_refuses_an_unknown_channel_in_english(app, office):
    office.get("/admin/?lang=en")
    refused = register_message(office, canal="fax")
    assert refused.status_code == 400 and "Choose how the case arrived." in refused.get_data(as_text=True)


def test_hostile_files_are_refused_in_assisted_entry(app, office):
    refused = register_request(office, files={"documento": (b"<script>alert(1)</script>", "contrato.pdf")})
    assert refused.status_code == 400


def test_assisted_entry_needs_login_and_csrf(app, office):
    stranger = app.test_client()
    for path in ("/admin/registrar/", "/admin/registrar/mensaje", f"/admin/registrar/tramite/{SLUG}"):
        assert stranger.get(path).status_code in (302, 303)
    assert office.post("/admin/registrar/mensaje", data=dict(MESSAGE, canal="phone")).status_code == 400
    assert office.get("/admin/registrar/tramite/no-existe").status_code == 404


def test_receipt_is_only_for_the_office_that_registered_it(app, office):
    code, _, _ = receipt_code_and_pin(office, register_message(office))
    other = app.test_client()
    log_in(app, other, "otro")
    assert other.get(f"/admin/registrar/recibo/{code}/").status_code == 404


def test_assisted_entry_is_recorded_in_the_activity_log(app, office):
    code, _, _ = receipt_code_and_pin(office, register_message(office, canal="letter"))
    assert f"Registró el mensaje {code}, recibido por carta." in office.get("/admin/registro").get_data(as_text=True)
    office.get("/admin/?lang=en")
    assert f"Registered the message {code}, received by letter." in office.get("/admin/registro").get_data(as_text=True)


def test_assisted_entry_page_lists_the_online_procedures(app, office):
    html = office.get("/admin/registrar/").get_data(as_text=True)
    assert f"/admin/registrar/tramite/{SLUG}" in html and "/admin/registrar/mensaje" in html
