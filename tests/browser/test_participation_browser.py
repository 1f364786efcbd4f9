"""Writing to the government without JavaScript: a complaint from the form to the answer and back, as the
citizen on two devices and as the webmaster; errors, drafts, accessibility and small screens."""
import os
import re
from datetime import datetime, timedelta

import pytest
from babel.dates import format_date
from playwright.sync_api import expect

from redpinar.store.submissions import CODE_ALPHABET
from tests.browser.conftest import WEBMASTER, assert_no_axe_violations
from tests.browser.test_home_browser import OVERFLOWING_ELEMENTS
from tests.language import address_in
from tests.participation_helpers import PASSWORD, hidden_fields, post_form, receipt_pin, sent_code, submit_message
from tests.public_content import HAVANA, LANGUAGES

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TRACKING_CODE = re.compile(f"^[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}$")
PIN = re.compile(r"^\d{6}$")
SUBJECT = "Falta de medicamentos en la farmacia de Guane"
MESSAGE = "En la farmacia principal de Guane no hay medicamentos para la presión desde hace un mes."
ANSWER_MARKDOWN = ("Ya llegaron los medicamentos a la **farmacia principal** de Guane.\n\n"
                   "- Horario: de 8:00 a 16:00\n- Lleve la receta médica")
REPLY = "Fui el lunes con la receta y me dijeron que solo quedaban para dos días."


def fact(page, term):
    """The <dd> that goes with a <dt> of a facts list (receipt, tracking page, message page)."""
    return page.locator(f'dt:text-is("{term}") + dd')


def fill_complaint(page, subject=SUBJECT, message=MESSAGE):
    """A citizen fills in the form: a complaint about health in Guane, answer through the code."""
    page.get_by_role("radio", name="Queja").check()
    page.get_by_label("Tema").select_option(label="Salud")
    page.get_by_label("Municipio").select_option(label="Guane")
    page.get_by_label("Asunto").fill(subject)
    page.get_by_label("Mensaje", exact=True).fill(message)
    page.get_by_label("Nombre y apellidos").fill("María Pérez")
    page.get_by_role("radio", name="Lo consultaré yo con mi código").check()


def log_in_as_webmaster(page, base_url):
    """The webmaster logs in through the login form."""
    page.goto(base_url + "/admin/login")
    page.get_by_label("Usuario").fill(WEBMASTER)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page).to_have_url(base_url + "/admin/mensajes/")


def webmaster_client(app):
    """A Flask test client logged in as the webmaster, to prepare data faster than a browser."""
    client = app.test_client()
    form = hidden_fields(client.get("/admin/login").get_data(as_text=True))
    assert client.post("/admin/login", data=dict(form, usuario=WEBMASTER, clave=PASSWORD)).status_code == 303
    return client


def answer_with(client, code, markdown):
    """The webmaster answers a message (through the test client)."""
    response = post_form(client, f"/admin/mensajes/{code}/", f"/admin/mensajes/{code}/responder",
                         **{"answer-respuesta": markdown})
    assert response.status_code == 303


def test_citizen_sends_a_complaint_follows_it_from_another_device_and_reopens_it_after_the_answer(
        page, new_device, live_app, webmaster, test_output):
    url = live_app.url
    # The citizen writes from one device...
    page.goto(url + "/participa/")
    expect(page.locator("h1")).to_have_text("Escriba a su gobierno")
    fill_complaint(page)
    page.screenshot(path=os.path.join(test_output, "participation-form-es.png"), full_page=True)
    page.get_by_role("button", name="Enviar mensaje").click()

    expect(page.locator("h1")).to_have_text("Mensaje recibido")
    code = fact(page, "Código de seguimiento").inner_text().strip()
    pin = fact(page, "PIN").inner_text().strip()
    assert TRACKING_CODE.match(code), f"the receipt shows {code!r}, not a code like K7X9-P2MQ"
    assert PIN.match(pin), f"the receipt shows {pin!r}, not a 6-digit PIN"
    expect(page).to_have_url(f"{url}/participa/recibo/{code}/")
    due = datetime.now(HAVANA).date() + timedelta(days=30)
    expect(fact(page, "Respuesta a más tardar")).to_have_text(format_date(due, "long", locale="es"))
    page.screenshot(path=os.path.join(test_output, "participation-receipt-es.png"), full_page=True)

    # ...and follows it from another, typing the code in lower case.
    phone = new_device()
    phone.goto(url + "/seguimiento/")
    phone.get_by_label("Código de seguimiento").fill(code.lower())
    phone.get_by_label("PIN", exact=True).fill(pin)
    phone.get_by_role("button", name="Ver mi mensaje").click()
    expect(phone).to_have_url(f"{url}/seguimiento/{code}/")
    expect(fact(phone, "Asunto")).to_have_text(SUBJECT)
    expect(fact(phone, "Estado")).to_have_text("Recibido")
    expect(phone.get_by_text("Quedan 30 días para la respuesta.")).to_be_visible()

    # The webmaster finds it in the inbox and answers in Markdown.
    office = new_device()
    log_in_as_webmaster(office, url)
    row = office.locator("table.inbox tbody tr").filter(has=office.get_by_role("link", name=code, exact=True))
    expect(row).to_have_count(1)
    expect(row.locator("td")).to_have_text([format_date(due, "short", locale="es"), code, "Queja", SUBJECT,
                                            "Recibido", "Guane"])
    office.screenshot(path=os.path.join(test_output, "admin-inbox-es.png"), full_page=True)
    row.get_by_role("link", name=code, exact=True).click()
    expect(office).to_have_url(f"{url}/admin/mensajes/{code}/")
    expect(office.locator("h1")).to_have_text(SUBJECT)
    expect(office.locator(".citizen-text")).to_have_text(MESSAGE)
    office.get_by_label("Respuesta", exact=True).fill(ANSWER_MARKDOWN)
    office.get_by_role("button", name="Enviar respuesta").click()
    expect(office.get_by_role("status").filter(has_text="Hecho.")).to_be_visible()
    expect(fact(office, "Estado")).to_have_text("Respondido")

    # The citizen reloads, reads the answer, says it did not solve the case and reopens it.
    phone.reload()
    expect(fact(phone, "Estado")).to_have_text("Respondido")
    answer = phone.get_by_role("region", name="Respuesta")
    expect(answer.locator("strong")).to_have_text("farmacia principal")
    expect(answer.locator("li")).to_have_text(["Horario: de 8:00 a 16:00", "Lleve la receta médica"])
    expect(answer).not_to_contain_text("**")
    phone.screenshot(path=os.path.join(test_output, "participation-tracking-answered-es.png"), full_page=True)
    phone.get_by_role("group", name="¿La respuesta resolvió su caso?").get_by_label("No", exact=True).check()
    phone.get_by_role("button", name="Enviar valoración").click()
    expect(phone.get_by_text("Gracias: nos dijo que la respuesta no resolvió su caso.")).to_be_visible()
    phone.get_by_label("Su respuesta").fill(REPLY)
    phone.get_by_role("button", name="Reabrir y responder").click()
    expect(phone).to_have_url(re.compile(rf"/seguimiento/{code}/#respuestas$"))
    expect(fact(phone, "Estado")).to_have_text("En trámite")
    expect(phone.locator("ol.history > li").last).to_contain_text("Reabierto por el ciudadano")
    expect(phone.locator("#respuestas + ul > li")).to_contain_text([REPLY])

    # The webmaster sees the reply.
    office.reload()
    expect(fact(office, "Estado")).to_have_text("En trámite")
    added = office.get_by_role("heading", name="Añadido por el ciudadano")
    expect(added).to_be_visible()
    expect(office.locator("h2:text-is('Añadido por el ciudadano') + ul > li")).to_contain_text([REPLY])
    office.screenshot(path=os.path.join(test_output, "admin-message-es.png"), full_page=True)


def test_form_without_a_subject_comes_back_with_an_error_summary_that_leads_to_the_field(
        page, live_app, test_output):
    page.goto(live_app.url + "/participa/")
    fill_complaint(page, subject="")
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        page.get_by_role("button", name="Enviar mensaje").click()
    assert posted.value.status == 400

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("Revise lo siguiente")
    expect(summary.get_by_role("link")).to_have_text(["Escriba el asunto en pocas palabras."])
    # At the top: after the page's title, before the form and in the first screen.
    assert summary.bounding_box()["y"] < page.locator("main form").bounding_box()["y"]
    expect(summary).to_be_in_viewport()
    page.screenshot(path=os.path.join(test_output, "participation-form-errors-es.png"), full_page=True)

    summary.get_by_role("link", name="Escriba el asunto en pocas palabras.").click()
    expect(page).to_have_url(re.compile(r"/participa/#asunto$"))
    subject = page.get_by_label("Asunto")
    expect(subject).to_be_focused()
    expect(subject).to_be_in_viewport()
    expect(subject).to_have_accessible_description("Escriba el asunto en pocas palabras.")
    # Everything the citizen typed is still there.
    expect(page.get_by_label("Mensaje", exact=True)).to_have_value(MESSAGE)
    expect(page.get_by_role("radio", name="Queja")).to_be_checked()
    expect(page.get_by_label("Municipio")).to_have_value("guane")
    expect(page.get_by_label("Nombre y apellidos")).to_have_value("María Pérez")


def test_form_asks_for_the_name_and_for_the_email_the_answer_should_go_to(page, live_app):
    page.goto(live_app.url + "/participa/")
    fill_complaint(page)
    page.get_by_label("Nombre y apellidos").fill("")
    page.get_by_role("radio", name="Por correo electrónico").check()
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        page.get_by_role("button", name="Enviar mensaje").click()
    assert posted.value.status == 400, "a complaint with no name, to be answered by email to no address, was accepted"
    expect(page.locator(".error-summary").get_by_role("link")).to_have_text([
        "Escriba su nombre (solo en una denuncia puede omitirlo).",
        "Escriba su correo para recibir la respuesta por correo.",
    ])
    expect(page.get_by_label("Mensaje", exact=True)).to_have_value(MESSAGE)


def test_citizen_saves_a_draft_and_finishes_it_on_another_device(page, new_device, live_app, test_output):
    url = live_app.url
    half_written = "Empecé a escribir sobre la guagua de Mantua, que"
    page.goto(url + "/participa/")
    page.get_by_role("radio", name="Queja").check()
    page.get_by_label("Mensaje", exact=True).fill(half_written)
    page.get_by_role("button", name="Guardar borrador para terminar después").click()

    expect(page.locator("h1")).to_have_text("Borrador guardado")
    code = fact(page, "Código del borrador").inner_text().strip()
    pin = fact(page, "PIN").inner_text().strip()
    assert TRACKING_CODE.match(code) and PIN.match(pin), f"the draft's code {code!r} and PIN {pin!r}"
    page.screenshot(path=os.path.join(test_output, "participation-draft-saved-es.png"), full_page=True)

    other = new_device()
    other.goto(url + "/participa/borrador/")
    other.get_by_label("Código de seguimiento").fill(code)
    other.get_by_label("PIN", exact=True).fill(pin)
    other.get_by_role("button", name="Recuperar").click()
    expect(other.get_by_role("alert")).to_have_text("Recuperamos su borrador. Revíselo y envíelo.")
    message = other.get_by_label("Mensaje", exact=True)
    expect(message).to_have_value(half_written)
    expect(other.get_by_role("radio", name="Queja")).to_be_checked()

    # Finished and sent from the other device, the draft is gone.
    message.fill(half_written + " no pasa desde el lunes.")
    other.get_by_label("Tema").select_option(label="Transporte")
    other.get_by_label("Municipio").select_option(label="Mantua")
    other.get_by_label("Asunto").fill("La guagua de Mantua no pasa")
    other.get_by_label("Nombre y apellidos").fill("Pedro Díaz")
    other.get_by_role("button", name="Enviar mensaje").click()
    expect(other.locator("h1")).to_have_text("Mensaje recibido")
    other.goto(url + "/participa/borrador/")
    other.get_by_label("Código de seguimiento").fill(code)
    other.get_by_label("PIN", exact=True).fill(pin)
    other.get_by_role("button", name="Recuperar").click()
    expect(other.get_by_role("alert")).to_have_text("No encontramos un borrador con ese código y PIN.")


# ---- Accessibility: every page of this part, in both languages, the way a visitor reaches it. ----

MUNICIPALITY_WITH_MESSAGES = "vinales"


@pytest.fixture(scope="module")
def participation_figures(live_app, webmaster):
    """Enough messages for the transparency charts: six complaints about health from Viñales, one answered."""
    client = live_app.app.test_client()
    codes = [sent_code(submit_message(client, municipio=MUNICIPALITY_WITH_MESSAGES)) for _ in range(6)]
    answer_with(webmaster_client(live_app.app), codes[0], "Resuelto.")
    return codes


@pytest.fixture(scope="module")
def answered_message(live_app, webmaster):
    """(code, PIN) of a message with a Markdown answer and an internal note."""
    client = live_app.app.test_client()
    code = sent_code(submit_message(client))
    pin = receipt_pin(client, code)
    office = webmaster_client(live_app.app)
    post_form(office, f"/admin/mensajes/{code}/", f"/admin/mensajes/{code}/nota",
              **{"note-nota": "Llamar a la farmacia el lunes"})
    answer_with(office, code, ANSWER_MARKDOWN)
    return code, pin


def post_in_tab(tab, button):
    """Click a submit button; the response to the form's post."""
    with tab.expect_response(lambda response: response.request.method == "POST") as posted:
        tab.locator(button).click()
    tab.wait_for_load_state()
    return posted.value


def fill_by_id(tab, **values):
    """Fill fields by their ids, the same in every language."""
    for field_id, value in values.items():
        tab.locator(f"#{field_id}").fill(value)


def form_with_errors(tab, url, language, answered):
    tab.goto(url + address_in(language, "/participa/"))
    response = post_in_tab(tab, "button[value=enviar]")
    expect(tab.locator('.error-summary a[href="#asunto"]')).to_have_count(1)
    return response, 400


def receipt(tab, url, language, answered):
    tab.goto(url + address_in(language, "/participa/"))
    tab.locator("#tipo-0").check()
    tab.locator("#tema").select_option("salud")
    tab.locator("#municipio").select_option("guane")
    fill_by_id(tab, asunto=SUBJECT, mensaje=MESSAGE, nombre="María Pérez")
    post_in_tab(tab, "button[value=enviar]")
    expect(tab).to_have_url(re.compile(r"/participa/recibo/[A-Z0-9-]{9}/$"))
    return None, 200


def draft_saved(tab, url, language, answered):
    tab.goto(url + address_in(language, "/participa/"))
    fill_by_id(tab, mensaje=MESSAGE)
    post_in_tab(tab, "button[value=borrador]")
    expect(tab).to_have_url(re.compile(r"/participa/borrador/guardado$"))  # a reload saves nothing twice
    expect(tab.locator("dd.code")).to_have_count(2)  # the draft's code and PIN
    return None, 200


def answered_tracking_page(tab, url, language, answered):
    code, pin = answered
    tab.goto(url + address_in(language, "/seguimiento/"))
    fill_by_id(tab, codigo=code, pin=pin)
    post_in_tab(tab, "main form button[type=submit]")
    expect(tab).to_have_url(url + address_in(language, f"/seguimiento/{code}/"))
    expect(tab.locator(".answer strong")).to_have_text("farmacia principal")
    return None, 200


def erase_confirmation(tab, url, language, answered):
    code, pin = answered
    answered_tracking_page(tab, url, language, answered)
    erase = address_in(language, f"/seguimiento/{code}/borrar")
    tab.locator(f'a[href="{erase}"]').click()
    expect(tab).to_have_url(url + erase)
    expect(tab.locator("main form button[type=submit]")).to_have_count(1)
    return None, 200


def visit(path):
    """A page reached by following a link."""
    def opener(tab, url, language, answered):
        # The panel has one address and its own ?lang=; every other page has one address per language.
        address = f"{path}?lang={language}" if path.startswith("/admin/") else address_in(language, path)
        return tab.goto(url + address), 200
    return opener


def transparency_with_charts(tab, url, language, answered):
    response = tab.goto(url + address_in(language, "/transparencia/"))
    expect(tab.locator("figure.chart svg[role=img]").first).to_be_visible()
    return response, 200


VISITOR_PAGES = {
    "form": visit("/participa/"),
    "form-with-errors": form_with_errors,
    "receipt": receipt,
    "draft-saved": draft_saved,
    "resume-draft": visit("/participa/borrador/"),
    "tracking-form": visit("/seguimiento/"),
    "tracking-answered-message": answered_tracking_page,
    "erase-confirmation": erase_confirmation,
    "transparency": transparency_with_charts,
    "open-data": visit("/datos/"),
    "admin-login": visit("/admin/login"),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_name", VISITOR_PAGES)
def test_participation_page_has_no_accessibility_violations(citizen_axe_tab, live_app, participation_figures,
                                                            answered_message, page_name, language):
    response, status = VISITOR_PAGES[page_name](citizen_axe_tab, live_app.url, language, answered_message)
    if response is not None:
        assert response.status == status, f"{page_name} answered {response.status}, expected {status}"
    expect(citizen_axe_tab.locator("html")).to_have_attribute("lang", language)
    assert_no_axe_violations(citizen_axe_tab, f"{page_name} ({language}, {citizen_axe_tab.url})")


@pytest.fixture(scope="module")
def question_with_personal_data(live_app, webmaster):
    """The code of an answered question the citizen agreed to publish, whose text holds personal data."""
    code = sent_code(submit_message(live_app.app.test_client(), tipo="pregunta", publicar="y", nombre="Pedro Privado",
                                    asunto="¿Puede Pedro Privado llamar al 48 752233?"))
    answer_with(webmaster_client(live_app.app), code, "Sí, escriba a pedro@example.cu.")
    return code


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_name", ["inbox", "message", "question-with-personal-data"])
def test_panel_page_has_no_accessibility_violations(webmaster_axe_tab, live_app, answered_message, page_name,
                                                    language, question_with_personal_data):
    code, _ = answered_message
    code = question_with_personal_data if page_name == "question-with-personal-data" else code
    # Answered ones only: the example messages fill the inbox's first page, and they are answered too (badges checked).
    path = "/admin/mensajes/?estado=answered&" if page_name == "inbox" else f"/admin/mensajes/{code}/?"
    response = webmaster_axe_tab.goto(f"{live_app.url}{path}lang={language}")
    assert response.status == 200, f"{path} answered {response.status}"
    expect(webmaster_axe_tab.locator("html")).to_have_attribute("lang", language)
    expect(webmaster_axe_tab.locator("main")).to_contain_text(code)
    assert_no_axe_violations(webmaster_axe_tab, f"{path} ({language})")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", ["/participa/", "/transparencia/"])
def test_participation_page_fits_a_360px_phone_without_sideways_scrolling(phone_page, live_app, participation_figures,
                                                                          test_output, path, language):
    phone_page.goto(live_app.url + address_in(language, path))
    expect(phone_page.locator("html")).to_have_attribute("lang", language)
    if path == "/transparencia/":
        expect(phone_page.locator("figure.chart svg[role=img]").first).to_be_visible()
    name = path.strip("/")
    phone_page.screenshot(path=os.path.join(test_output, f"{name}-{language}-360.png"), full_page=True)
    scroll_width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360, (
        f"{path} is {scroll_width}px wide on a 360px phone; too wide: "
        + "; ".join(phone_page.evaluate(OVERFLOWING_ELEMENTS))
    )
