"""A citizen writes to the government, gets a receipt, follows the answer with code and PIN."""
import json
import os
import re
from datetime import date, timedelta

import pytest

from redpinar.store import submissions
from redpinar.store.submissions import CODE_ALPHABET
from tests.conftest import make_app
from tests.language import english
from tests.participation_helpers import MESSAGE, hidden_fields, receipt_pin, sent_code, submit_message, without_examples
from tests.test_pages import page_text


def stored(app, code):
    """The submission as stored."""
    with app.app_context():
        return submissions.get_submission(code)


def test_citizen_sends_a_complaint_and_gets_a_receipt(app, client):
    code = sent_code(submit_message(client))
    assert re.fullmatch(f"[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}", code)
    text = page_text(client.get(f"/participa/recibo/{code}/"))
    due = date.today() + timedelta(days=30)
    assert "Mensaje recibido" in text and code in text
    assert re.search(r"PIN \d{6}", text)
    assert "El gobierno provincial, que lo dirigirá a la entidad competente" in text
    assert f"{due.day} de" in text and str(due.year) in text
    saved = stored(app, code)
    assert saved["subject"] == MESSAGE["asunto"] and saved["status"] == "received"
    assert saved["due"] == due.isoformat()


def test_message_is_on_disk_before_the_receipt_and_the_pin_only_as_a_hash(app, client):
    code = sent_code(submit_message(client))
    pin = receipt_pin(client, code)
    month = date.today().strftime("%Y-%m")
    with open(os.path.join(app.config["DATA_DIR"], "submissions", month, "0001.json"), encoding="utf-8") as handle:
        raw = handle.read()
    assert code in raw and MESSAGE["mensaje"] in raw
    assert f'"{pin}"' not in raw and "scrypt:" in raw


def test_receipt_is_only_for_the_browser_that_sent_the_message(app, client):
    code = sent_code(submit_message(client))
    other = app.test_client()
    response = other.get(f"/participa/recibo/{code}/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/seguimiento/")


def test_invalid_form_comes_back_with_an_error_summary_and_the_text_kept(app, client):
    without_examples(app)
    response = submit_message(client, asunto="", correo="no-es-un-correo", respuesta="correo", tema="")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'class="error-summary"' in html
    assert 'href="#asunto"' in html and 'href="#correo"' in html and 'href="#tema"' in html
    assert MESSAGE["mensaje"] in html and 'value="no-es-un-correo"' in html
    assert "Escriba el asunto en pocas palabras." in page_text(response)
    with app.app_context():
        assert submissions.count_submissions() == 0


def test_errors_are_explained_in_english_to_an_english_reader(client):
    response = submit_message(client, english("/participa/"), asunto="")
    text = page_text(response)
    assert "Escriba el asunto" not in text
    assert "Revise lo siguiente" not in text and "Asunto" not in text


def test_an_expired_form_brings_the_text_back_instead_of_a_bare_error(app, client):
    without_examples(app)
    response = submit_message(client, csrf_token="caducado")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "El formulario caducó mientras lo escribía" in page_text(response)
    assert MESSAGE["mensaje"] in html
    fresh = hidden_fields(html)["csrf_token"]
    assert fresh != "caducado"
    with app.app_context():
        assert submissions.count_submissions() == 0


def test_a_bot_filling_the_hidden_field_sees_a_receipt_but_nothing_is_kept(app, client):
    without_examples(app)
    response = submit_message(client, website="http://spam.example")
    assert response.status_code == 200
    assert "Mensaje recibido" in page_text(response)
    with app.app_context():
        assert submissions.count_submissions() == 0


def test_too_many_messages_from_one_address_get_a_clear_message_and_keep_the_text(data_dir):
    app = make_app(data_dir, RATE_LIMITS=True)
    client = app.test_client()
    for _ in range(5):
        sent_code(submit_message(client))
    response = submit_message(client, mensaje="El sexto mensaje de hoy sobre el mismo problema del agua.")
    assert response.status_code == 429
    assert "Ya recibimos varios mensajes desde su conexión" in page_text(response)
    assert "El sexto mensaje de hoy" in response.get_data(as_text=True)


def test_rate_limits_can_be_switched_off_for_load_tests(client):
    for _ in range(7):
        sent_code(submit_message(client))


def test_a_half_written_message_is_kept_on_the_server_and_comes_back_with_its_code(app, client):
    response = submit_message(client, accion="borrador", asunto="", mensaje="Empecé a escribir sobre la guagua de")
    assert response.status_code == 303
    text = page_text(client.get(response.headers["Location"]))
    code = re.search(r"Código del borrador ([A-Z0-9]{4}-[A-Z0-9]{4})", text).group(1)
    pin = re.search(r"PIN (\d{6})", text).group(1)
    other = app.test_client()  # another day, another phone
    form = hidden_fields(other.get("/participa/borrador/").get_data(as_text=True))
    resumed = other.post("/participa/borrador/", data=dict(form, codigo=code.lower(), pin=pin))
    html = resumed.get_data(as_text=True)
    assert "Empecé a escribir sobre la guagua de" in html
    assert f'value="{code}.' in html  # the draft travels with the form (signed) and is forgotten once sent
    fields = dict(hidden_fields(html), **MESSAGE)
    fields["mensaje"] = "Empecé a escribir sobre la guagua de Mantua, que no pasa desde el lunes."
    sent = sent_code(other.post("/participa/", data=fields))
    assert stored(app, sent)["message"].startswith("Empecé a escribir")
    again = other.post("/participa/borrador/", data=dict(form, codigo=code, pin=pin))
    assert "No encontramos un borrador" in page_text(again)


def test_a_wrong_pin_does_not_open_a_draft(app, client):
    text = page_text(client.get(submit_message(client, accion="borrador").headers["Location"]))
    code = re.search(r"Código del borrador ([A-Z0-9]{4}-[A-Z0-9]{4})", text).group(1)
    form = hidden_fields(client.get("/participa/borrador/").get_data(as_text=True))
    response = client.post("/participa/borrador/", data=dict(form, codigo=code, pin="000000"))
    assert response.status_code == 400
    assert MESSAGE["mensaje"] not in response.get_data(as_text=True)


def follow(client, code, pin):
    """Open a submission with code and PIN; returns the response of the post."""
    form = hidden_fields(client.get("/seguimiento/").get_data(as_text=True))
    return client.post("/seguimiento/", data=dict(form, codigo=code, pin=pin))


def test_citizen_follows_the_message_with_code_and_pin_from_another_browser(app, client):
    code = sent_code(submit_message(client))
    pin = receipt_pin(client, code)
    other = app.test_client()
    assert other.get(f"/seguimiento/{code}/").status_code == 404  # nothing without the PIN
    opened = follow(other, code.lower().replace("-", " "), pin)
    assert opened.status_code == 303
    text = page_text(other.get(opened.headers["Location"]))
    assert MESSAGE["asunto"] in text and "Recibido" in text
    assert "Quedan 30 días para la respuesta." in text


def test_wrong_pins_are_throttled_per_code(data_dir):
    app = make_app(data_dir, RATE_LIMITS=True)
    client = app.test_client()
    code = sent_code(submit_message(client))
    pin = receipt_pin(client, code)
    attacker = app.test_client()
    for guess in range(5):
        assert follow(attacker, code, f"{guess:06d}").status_code == 400
    locked = follow(attacker, code, pin)
    assert locked.status_code == 429
    assert "Demasiados intentos" in page_text(locked)


def test_citizen_can_download_and_erase_their_data(app, client):
    code = sent_code(submit_message(client, correo="maria@example.cu"))
    data = client.get(f"/seguimiento/{code}/mis-datos.json")
    assert data.headers["Cache-Control"] == "private, no-store"
    mine = json.loads(data.get_data())
    assert mine["email"] == "maria@example.cu" and "pin_hash" not in mine
    form = hidden_fields(client.get(f"/seguimiento/{code}/borrar").get_data(as_text=True))
    erased = client.post(f"/seguimiento/{code}/borrar", data=form)
    assert erased.status_code == 303
    kept = stored(app, code)
    assert kept["name"] == kept["email"] == kept["message"] == ""
    assert kept["type"] == "queja" and kept["municipality"] == "guane"


def test_tracking_pages_refuse_posts_without_the_form_token(client):
    code = sent_code(submit_message(client))
    assert client.post(f"/seguimiento/{code}/borrar").status_code == 400
    assert client.post(f"/seguimiento/{code}/responder", data={"texto": "hola"}).status_code == 400


HOSTILE = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "[enlace](javascript:alert(1)) <a href=\"javascript:alert(1)\">pulse</a>",
    "Control\x00\x07\x1b caracteres \u202e al revés",
    "línea muy larga " * 400,
    "=HYPERLINK(\"http://x\")",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_stored_safely_and_shown_escaped(app, client, text):
    response = submit_message(client, asunto=text[:150], mensaje=("Texto: " + text)[:10000])
    code = sent_code(response)
    saved = stored(app, code)
    assert "\x00" not in saved["message"] and "\x07" not in saved["message"]
    page = client.get(f"/seguimiento/{code}/").get_data(as_text=True)
    assert "<script>alert" not in page and "onerror=\"alert" not in page and 'href="javascript:' not in page


def test_a_one_megabyte_field_is_refused_with_a_clear_message(app, client):
    without_examples(app)
    response = submit_message(client, mensaje="x" * (1024 * 1024))
    assert response.status_code == 400
    assert "El mensaje debe tener entre 10 y 10 000 caracteres." in page_text(response)
    with app.app_context():
        assert submissions.count_submissions() == 0


def test_a_body_over_the_request_limit_gets_the_too_large_page(data_dir):
    client = make_app(data_dir, MAX_CONTENT_LENGTH=64 * 1024).test_client()
    response = submit_message(client, mensaje="x" * (100 * 1024))
    assert response.status_code == 413
    assert "Envío demasiado grande" in page_text(response)


def test_broken_utf8_never_causes_a_server_error(client):
    form = hidden_fields(client.get("/participa/").get_data(as_text=True))
    body = "&".join(f"{key}={value}" for key, value in form.items()).encode() + b"&asunto=%FF%FE%FD&mensaje=\xff\xfe"
    response = client.post("/participa/", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 303, 400)
