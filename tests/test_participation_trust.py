"""A receipt means the message is stored; the PIN stays out of readable cookies and caches."""
import base64
import re
import time
import zlib

import pytest

from redpinar.store import submissions
from tests.conftest import make_app
from tests.language import english
from tests.participation_helpers import MESSAGE, hidden_fields, receipt_pin, sent_code, submit_message, without_examples
from tests.test_pages import page_text

MESSAGE_TYPES = ("queja", "peticion", "denuncia", "sugerencia", "opinion", "pregunta")
RECEIPT = re.compile(r'<dt>Código de seguimiento</dt><dd class="code">([A-Z0-9-]+)</dd>\s*'
                     r'<dt>PIN</dt><dd class="code">(\d{6})</dd>')
DRAFT = re.compile(r"Código del borrador ([A-Z0-9]{4}-[A-Z0-9]{4}) PIN (\d{6})")
SEND_AGAIN = "Revise su mensaje y envíelo de nuevo."


def client_at(app, address):
    """A browser on its own address (each citizen has their own connection)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def post_until_receipt(client, html, fields, tries=100):
    """Post what the page gives back, as fast as a script can, until a receipt shows; returns (code, pin)."""
    for _ in range(tries):
        response = client.post("/participa/", data=dict(hidden_fields(html), **fields))
        if response.status_code == 303:
            response = client.get(response.headers["Location"])
        html = response.get_data(as_text=True)
        receipt = RECEIPT.search(html)
        if receipt:
            return receipt.groups()
        assert response.status_code == 400, response.status_code
        assert SEND_AGAIN in page_text(response) and fields["mensaje"] in html
        time.sleep(0.05)
    pytest.fail(f"no receipt after {tries} tries")


def followed(app, code, pin):
    """Open a message with its code and PIN from a new browser; returns the page's text."""
    stranger = client_at(app, "10.9.9.9")
    form = hidden_fields(stranger.get("/seguimiento/").get_data(as_text=True))
    opened = stranger.post("/seguimiento/", data=dict(form, codigo=code, pin=pin))
    assert opened.status_code == 303, f"the receipt {code} cannot be followed: no such message stored"
    return page_text(stranger.get(opened.headers["Location"]))


def saved_draft(response, client):
    """(code, PIN) from the page a draft save leads to."""
    assert response.status_code == 303, response.status_code
    return DRAFT.search(page_text(client.get(response.headers["Location"]))).groups()


def resumed_form(client, code, pin):
    """The form of a draft opened with its code and PIN."""
    form = hidden_fields(client.get("/participa/borrador/").get_data(as_text=True))
    resumed = client.post("/participa/borrador/", data=dict(form, codigo=code, pin=pin))
    assert resumed.status_code == 200
    return resumed.get_data(as_text=True)


def test_every_receipt_a_fast_script_gets_can_be_followed_with_its_code_and_pin(data_dir):
    app = make_app(data_dir, RATE_LIMITS=True, FORM_MIN_SECONDS=0.5)
    without_examples(app)
    receipts = []
    for number, kind in enumerate(MESSAGE_TYPES):
        client = client_at(app, f"10.0.0.{number + 1}")
        fields = dict(MESSAGE, tipo=kind, asunto=f"Mensaje de tipo {kind}")
        receipts.append((post_until_receipt(client, client.get("/participa/").get_data(as_text=True), fields),
                         fields["asunto"]))
    writer = client_at(app, "10.0.1.1")
    draft = dict(MESSAGE, tipo="peticion", asunto="Un borrador enviado deprisa", accion="borrador")
    code, pin = saved_draft(writer.post("/participa/", data=dict(
        hidden_fields(writer.get("/participa/").get_data(as_text=True)), **draft)), writer)
    reader = client_at(app, "10.0.1.2")
    sent = dict(draft, accion="enviar")
    receipts.append((post_until_receipt(reader, resumed_form(reader, code, pin), sent), sent["asunto"]))
    for (code, pin), subject in receipts:
        assert subject in followed(app, code, pin)
    with app.app_context():
        assert submissions.count_submissions() == len(MESSAGE_TYPES) + 1


def test_a_form_sent_faster_than_a_person_can_type_comes_back_to_be_sent_again(data_dir):
    app = make_app(data_dir, RATE_LIMITS=True, FORM_MIN_SECONDS=3)
    without_examples(app)
    response = submit_message(app.test_client(), confidencial="y", correo="maria@example.cu")
    assert response.status_code == 400
    html, text = response.get_data(as_text=True), page_text(response)
    assert SEND_AGAIN in text and "Mensaje recibido" not in text
    for typed in (MESSAGE["asunto"], MESSAGE["mensaje"], MESSAGE["nombre"], "maria@example.cu"):
        assert typed in html
    assert re.search(r'id="confidencial"[^>]*checked|checked[^>]*id="confidencial"', html)
    with app.app_context():
        assert submissions.count_submissions() == 0


def test_the_english_reader_is_asked_in_english_to_send_again(data_dir):
    client = make_app(data_dir, FORM_MIN_SECONDS=3).test_client()
    text = page_text(submit_message(client, english("/participa/")))
    assert SEND_AGAIN not in text and "Check your message and send it again." in text


def test_a_form_shown_again_keeps_the_time_it_was_first_opened(data_dir):
    app = make_app(data_dir, FORM_MIN_SECONDS=0.5)
    client = app.test_client()
    html = client.get("/participa/").get_data(as_text=True)
    first_opened = hidden_fields(html)["iniciado"]
    again = client.post("/participa/", data=dict(hidden_fields(html), **MESSAGE))
    assert again.status_code == 400
    assert hidden_fields(again.get_data(as_text=True))["iniciado"] == first_opened
    time.sleep(0.6)  # since the first opening, not since the form came back
    code = sent_code(client.post("/participa/", data=dict(hidden_fields(again.get_data(as_text=True)), **MESSAGE)))
    with app.app_context():
        assert submissions.get_submission(code)["subject"] == MESSAGE["asunto"]


@pytest.mark.parametrize("token", ["forjado", None])
def test_a_missing_or_forged_start_time_brings_the_form_back_with_a_new_one(app, client, token):
    without_examples(app)
    response = submit_message(client, iniciado=token)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert SEND_AGAIN in page_text(response) and MESSAGE["mensaje"] in html
    fresh = hidden_fields(html)["iniciado"]
    assert fresh and fresh != token
    with app.app_context():
        assert submissions.count_submissions() == 0
    sent_code(client.post("/participa/", data=dict(hidden_fields(html), **MESSAGE)))


def test_a_draft_opened_long_ago_resumed_and_sent_at_once_is_stored(data_dir):
    app = make_app(data_dir, FORM_MIN_SECONDS=0.5)
    writer = app.test_client()
    form = hidden_fields(writer.get("/participa/").get_data(as_text=True))
    time.sleep(0.6)  # the citizen wrote for a while, then saved
    code, pin = saved_draft(writer.post("/participa/", data=dict(form, **dict(MESSAGE, accion="borrador"))), writer)
    other = app.test_client()  # another day, another phone: resumed and sent at once
    sent = sent_code(other.post("/participa/", data=dict(hidden_fields(resumed_form(other, code, pin)), **MESSAGE)))
    with app.app_context():
        assert submissions.get_submission(sent)["message"] == MESSAGE["mensaje"]


def session_cookie_text(client):
    """What anyone holding the session cookie can read: its payload, base64-decoded (and unzipped)."""
    cookie = client.get_cookie("session").value
    payload = cookie.lstrip(".").split(".")[0]
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        return (zlib.decompress(raw) if cookie.startswith(".") else raw).decode("utf-8", "replace")
    except (ValueError, zlib.error):
        return cookie


def test_the_pin_of_a_receipt_never_travels_readable_in_the_cookie(client):
    codes = [sent_code(submit_message(client)) for _ in range(3)]
    pins = [receipt_pin(client, code) for code in codes]  # the receipt still shows each PIN
    readable = session_cookie_text(client)
    for pin in pins:
        assert pin not in readable


def test_the_pin_of_a_draft_never_travels_readable_in_the_cookie(client):
    response = submit_message(client, accion="borrador")
    code, pin = saved_draft(response, client)
    assert pin not in session_cookie_text(client)
    assert client.get(response.headers["Location"]).status_code == 200  # shown again on a reload


def test_pages_that_show_a_pin_or_a_citizens_case_are_never_stored(client):
    code = sent_code(submit_message(client))
    draft = submit_message(client, accion="borrador").headers["Location"]
    for page in (f"/participa/recibo/{code}/", draft, f"/seguimiento/{code}/", f"/seguimiento/{code}/mis-datos.json"):
        response = client.get(page)
        assert response.status_code == 200, page
        assert response.headers["Cache-Control"] == "private, no-store", page


def test_the_hidden_field_still_leads_to_a_silent_discard_that_is_not_stored_by_caches(app, client):
    without_examples(app)
    response = submit_message(client, website="http://spam.example")
    assert "Mensaje recibido" in page_text(response)
    assert response.headers["Cache-Control"] == "private, no-store"
    with app.app_context():
        assert submissions.count_submissions() == 0
