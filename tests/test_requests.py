"""Online requests, as the citizen sees them: the form and its questions, the check page, drafts, receipt, follow-up."""
import re
from datetime import date, timedelta

import pytest

from redpinar.store.request_forms import latest_form, save_form
from redpinar.store.requests import get_request
from tests.language import english
from tests.participation_helpers import hidden_fields
from tests.request_helpers import SLUG, confirm, form_address, minimal_pdf, post_request_form, send_request
from tests.test_pages import page_text

EVERY_TYPE = "licencia-construccion"


def text(es, en):
    return {"es": es, "en": en}


def every_type_form(app, slug=EVERY_TYPE):
    """A new version of a procedure's form with one required question of every type."""
    questions = [
        {"key": "corto", "type": "short_text", "label": text("Nombre", "Name")},
        {"key": "largo", "type": "long_text", "label": text("Descripción", "Description")},
        {"key": "numero", "type": "number", "label": text("Plantas", "Floors")},
        {"key": "fecha", "type": "date", "label": text("Fecha de inicio", "Start date")},
        {"key": "una", "type": "choice", "label": text("Uso", "Use"),
         "options": [text("Vivienda", "Home"), text("Comercio", "Shop")]},
        {"key": "varias", "type": "choices", "label": text("Materiales", "Materials"),
         "options": [text("Bloques", "Blocks"), text("Madera", "Wood"), text("Acero", "Steel")]},
        {"key": "sino", "type": "yes_no", "label": text("¿Es propietario?", "Are you the owner?")},
        {"key": "carne", "type": "id_card", "label": text("Carné de identidad", "Identity card")},
        {"key": "correo", "type": "email", "label": text("Correo", "Email")},
        {"key": "telefono", "type": "phone", "label": text("Teléfono", "Phone")},
        {"key": "lugar", "type": "address", "label": text("Dirección de la obra", "Address of the works")},
        {"key": "plano", "type": "file", "label": text("Plano", "Plan"), "max_mb": 2},
        {"key": "declaro", "type": "declaration", "label": text("Declaro que es cierto", "I declare it is true")},
    ]
    for question in questions:
        question.update(required=True, hint=text("Ayuda de " + question["label"]["es"],
                                                 "Help for " + question["label"]["en"]))
    with app.app_context():
        return save_form(slug, questions, "webmaster")


VALID = {"q-corto": "Ana Díaz", "q-largo": "Ampliar un cuarto de 3 por 4 metros.", "q-numero": "2",
         "q-fecha": "2026-05-04", "q-una": "1", "q-varias": ["0", "2"], "q-sino": "si", "q-carne": "02112967890",
         "q-correo": "ana@example.cu", "q-telefono": "48 123456", "q-lugar-municipio": "vinales",
         "q-lugar-calle": "Calle Salvador Cisneros 5", "q-declaro": "si"}
INVALID = {"q-corto": "", "q-largo": "", "q-numero": "tres", "q-fecha": "2026-02-30", "q-una": "7",
           "q-varias": ["0", "9"], "q-sino": "quizas", "q-carne": "85023012345", "q-correo": "ana-en-example",
           "q-telefono": "llámeme", "q-lugar-municipio": "atlantida", "q-lugar-calle": "Calle 5", "q-declaro": ""}
# field id -> (Spanish message, English message)
PROBLEMS = {
    "q-corto": ("Nombre: responda esta pregunta.", "Name: answer this question."),
    "q-largo": ("Descripción: responda esta pregunta.", "Description: answer this question."),
    "q-numero": ("Plantas: Escriba solo un número", "Floors: Write only a number"),
    "q-fecha": ("Fecha de inicio: Escriba una fecha real", "Start date: Write a real date"),
    "q-una-0": ("Uso: Elija una de las opciones.", "Use: Choose one of the options."),
    "q-varias-0": ("Materiales: Elija solo entre las opciones", "Materials: Choose only among the options"),
    "q-sino-0": ("¿Es propietario?: Elija sí o no.", "Are you the owner?: Choose yes or no."),
    "q-carne": ("Carné de identidad: Las 6 primeras cifras del carné son la fecha de nacimiento",
                "Identity card: The first 6 digits of the card are the date of birth"),
    "q-correo": ("Correo: Escriba un correo válido", "Email: Enter a valid email address"),
    "q-telefono": ("Teléfono: Escriba el teléfono solo con números", "Phone: Enter the phone number using numbers only"),
    "q-lugar-municipio": ("Dirección de la obra: Elija el municipio.", "Address of the works: Choose the municipality."),
    "q-plano": ("Plano: adjunte el archivo.", "Plan: attach the file."),
    "q-declaro": ("Declaro que es cierto: marque la casilla", "I declare it is true: tick the box"),
}


def summary_links(html):
    """{target id: message} of the error summary."""
    summary = html[html.index('class="error-summary"'):]
    summary = summary[:summary.index("</div>")]
    return {target: page_text_of(message) for target, message in re.findall(r'<a href="#([^"]+)">(.*?)</a>', summary)}


def page_text_of(fragment):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).replace("&#39;", "'").strip()


def test_the_card_offers_online_requests_only_for_procedures_that_take_them(app, client):
    assert "Solicitar en línea" in page_text(client.get(f"/tramites/{SLUG}/"))
    assert "15 días" in page_text(client.get(f"/tramites/{SLUG}/"))
    assert "Solicitar en línea" not in page_text(client.get("/tramites/carne-identidad/"))
    assert "Apply online" in page_text(app.test_client().get(english(f"/tramites/{SLUG}/")))


def test_the_form_is_not_found_unless_the_procedure_is_online_with_a_form(app, client):
    assert client.get("/tramites/carne-identidad/solicitar").status_code == 404
    with app.app_context():
        save_form("carne-identidad", [{"key": "a", "type": "short_text", "label": text("A", "A"), "required": True}],
                  "webmaster")
    # A form alone is not enough: the procedure must say it takes requests online.
    assert client.get("/tramites/carne-identidad/solicitar").status_code == 404
    assert client.get("/tramites/no-existe/solicitar").status_code == 404
    assert client.get(f"/tramites/{SLUG}/solicitar").status_code == 200


@pytest.mark.parametrize("in_english", [False, True])
def test_every_question_type_shows_its_label_hint_and_takes_a_valid_answer(app, client, in_english):
    every_type_form(app)
    form_page = client.get(form_address(EVERY_TYPE, in_english)).get_data(as_text=True)
    assert ("Help for Floors" if in_english else "Ayuda de Plantas") in form_page
    assert ("Address of the works" if in_english else "Dirección de la obra") in form_page
    for field in ("q-corto", "q-largo", "q-numero", "q-fecha", "q-una-0", "q-varias-2", "q-sino-1", "q-carne",
                  "q-correo", "q-telefono", "q-lugar-municipio", "q-lugar-calle", "q-plano", "q-declaro"):
        assert f'id="{field}"' in form_page, field
    checked = post_request_form(client, EVERY_TYPE, {"plano": (minimal_pdf(), "plano.pdf")},
                                in_english=in_english, **VALID)
    assert checked.status_code == 200, summary_links(checked.get_data(as_text=True))
    shown = page_text(checked)
    expected = ["Shop", "Blocks, Steel", "Yes", "Viñales"] if in_english else ["Comercio", "Bloques, Acero", "Sí", "Viñales"]
    for answer in expected + ["Ana Díaz", "2026-05-04", "02112967890", "plano.pdf"]:
        assert answer in shown
    code, _pin = send_request(client, EVERY_TYPE, {"plano": (minimal_pdf(), "plano.pdf")}, **VALID)
    with app.app_context():
        stored = get_request(code)
    assert stored["answers"]["varias"] == [0, 2] and stored["answers"]["sino"] is True
    assert stored["answers"]["lugar"] == {"municipality": "vinales", "street": "Calle Salvador Cisneros 5"}
    assert stored["email"] == "ana@example.cu"


@pytest.mark.parametrize("in_english", [False, True])
def test_every_question_type_refuses_a_wrong_answer_with_a_summary_that_links_to_it(app, client, in_english):
    every_type_form(app)
    refused = post_request_form(client, EVERY_TYPE, in_english=in_english, **INVALID)
    assert refused.status_code == 400
    links = summary_links(refused.get_data(as_text=True))
    for target, messages in PROBLEMS.items():
        assert target in links, target
        assert links[target].startswith(messages[1 if in_english else 0]), links[target]
    assert set(links) == set(PROBLEMS)
    # What was typed comes back to be corrected.
    assert 'value="tres"' in refused.get_data(as_text=True)
    assert 'value="ana-en-example"' in refused.get_data(as_text=True)


@pytest.mark.parametrize("number, valid", [("85031512345", True), ("02112967890", True), ("8503151234", False),
                                           ("85133112345", False), ("8503151234X", False), ("99010112345", True),
                                           (f"{(date.today() + timedelta(days=400)):%y%m%d}62345", False)])
def test_identity_card_numbers_need_11_digits_and_a_real_date_of_birth(client, number, valid):
    response = post_request_form(client, files={"documento": (minimal_pdf(), "a.pdf")}, **{"q-carne": number})
    assert response.status_code == (200 if valid else 400)


def test_optional_questions_may_stay_empty(client):
    response = post_request_form(client, files={"documento": (minimal_pdf(), "a.pdf")},
                                 **{"q-convivientes": "", "q-correo": "", "q-telefono": ""})
    assert response.status_code == 200


def test_the_check_page_sends_the_request_and_the_receipt_gives_code_pin_and_due_date(app, client):
    code, pin = send_request(client)
    receipt = page_text(client.get(f"/tramites/solicitud/recibo/{code}/"))
    assert code in receipt and pin in receipt and "Cambio de domicilio" in receipt
    with app.app_context():
        stored = get_request(code)
    # Counted from today in the province, which may be a day off the test machine's.
    assert abs((date.fromisoformat(stored["due"]) - date.today()).days - 15) <= 1
    assert stored["status"] == "received" and stored["channel"] == "web" and stored["form_version"] == 1
    assert pin not in str(stored)
    printed = client.get(f"/tramites/solicitud/recibo/{code}/imprimir")
    assert printed.status_code == 200 and code in page_text(printed) and pin in page_text(printed)
    assert "Versión para imprimir" not in page_text(printed)


def test_changing_the_answers_from_the_check_page_brings_them_back(client):
    checked = post_request_form(client, files={"documento": (minimal_pdf(), "contrato.pdf")})
    back = confirm(client, checked.get_data(as_text=True), action="cambiar")
    html = back.get_data(as_text=True)
    assert back.status_code == 200 and 'value="85031512345"' in html and "contrato.pdf" in html


def test_without_resolve_days_the_legal_default_sets_the_due_date(app, client):
    from redpinar.store import content
    with app.app_context():
        procedure = content.find_documents("procedures", slug=SLUG)[0]
        content.update_document("procedures", procedure["id"], {"resolve_days": None})
    code, _pin = send_request(client)
    with app.app_context():
        stored = get_request(code)
    assert abs((date.fromisoformat(stored["due"]) - date.today()).days - 30) <= 1


def test_a_request_keeps_the_questions_it_was_asked_after_the_form_changes(app, client):
    code, _pin = send_request(client)
    with app.app_context():
        changed = [dict(question, label={"es": "Pregunta nueva " + question["key"], "en": "New"})
                   for question in latest_form(SLUG)["questions"]]
        save_form(SLUG, changed, "webmaster")
    page = page_text(client.get(f"/seguimiento/solicitudes/{code}/"))
    assert "Número de carné de identidad" in page and "Pregunta nueva" not in page
    assert "Pregunta nueva carne" in page_text(client.get(f"/tramites/{SLUG}/solicitar"))
    with app.app_context():
        assert get_request(code)["form_version"] == 1


def test_a_form_opened_before_a_change_is_checked_against_the_version_it_showed(app, client):
    old_page = client.get(f"/tramites/{SLUG}/solicitar").get_data(as_text=True)
    with app.app_context():
        questions = latest_form(SLUG)["questions"] + [
            {"key": "nuevo", "type": "short_text", "label": text("Nuevo", "New"), "required": True}]
        save_form(SLUG, questions, "webmaster")
    checked = post_request_form(client, files={"documento": (minimal_pdf(), "a.pdf")}, start_page=old_page)
    assert checked.status_code == 200
    sent = confirm(client, checked.get_data(as_text=True))
    code = sent.headers["Location"].rstrip("/").split("/")[-1]
    with app.app_context():
        assert get_request(code)["form_version"] == 1


def test_accepted_files_are_kept_when_another_answer_has_a_mistake(app, client):
    refused = post_request_form(client, files={"documento": (minimal_pdf(), "contrato.pdf")}, **{"q-carne": "123"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Ya adjuntó: contrato.pdf" in html
    checked = post_request_form(client, start_page=html)
    assert checked.status_code == 200 and "contrato.pdf" in page_text(checked)
    sent = confirm(client, checked.get_data(as_text=True))
    code = sent.headers["Location"].rstrip("/").split("/")[-1]
    with app.app_context():
        assert [entry["name"] for entry in get_request(code)["files"]] == ["contrato.pdf"]


def test_a_kept_file_can_be_removed(client):
    refused = post_request_form(client, files={"documento": (minimal_pdf(), "contrato.pdf")}, **{"q-carne": "123"})
    again = post_request_form(client, start_page=refused.get_data(as_text=True), **{"quitar-documento": "si"})
    assert again.status_code == 400 and "Ya adjuntó" not in again.get_data(as_text=True)


def test_a_draft_keeps_answers_and_files_and_resumes_with_code_and_pin(app, client):
    saved = post_request_form(client, files={"documento": (minimal_pdf(), "contrato.pdf")}, accion="borrador",
                              **{"q-nombre": "", "q-carne": "8503"})
    assert saved.status_code == 303
    shown = page_text(client.get(saved.headers["Location"]))
    code = re.search(r"Código del borrador ([A-Z0-9]{4}-[A-Z0-9]{4})", shown).group(1)
    pin = re.search(r"PIN (\d{6})", shown).group(1)
    other = app.test_client()
    resume_page = other.get(f"/tramites/{SLUG}/solicitar/borrador").get_data(as_text=True)
    wrong = other.post(f"/tramites/{SLUG}/solicitar/borrador",
                       data=dict(hidden_fields(resume_page), codigo=code, pin="000000" if pin != "000000" else "111111"))
    assert wrong.status_code == 400
    resumed = other.post(f"/tramites/{SLUG}/solicitar/borrador", data=dict(hidden_fields(resume_page), codigo=code, pin=pin))
    html = resumed.get_data(as_text=True)
    assert resumed.status_code == 200 and 'value="8503"' in html and "Ya adjuntó: contrato.pdf" in html
    checked = post_request_form(other, start_page=html, **{"q-nombre": "María Pérez", "q-carne": "85031512345"})
    assert checked.status_code == 200
    sent = confirm(other, checked.get_data(as_text=True))
    request_code = sent.headers["Location"].rstrip("/").split("/")[-1]
    with app.app_context():
        assert [entry["name"] for entry in get_request(request_code)["files"]] == ["contrato.pdf"]
    # Sent: the draft is gone.
    again = other.post(f"/tramites/{SLUG}/solicitar/borrador", data=dict(hidden_fields(resume_page), codigo=code, pin=pin))
    assert again.status_code == 400
