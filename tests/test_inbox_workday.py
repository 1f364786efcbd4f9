"""The webmaster's inbox on a working day: news from citizens, search, actions that fit the state, notices."""
import email
import email.policy
import json
import re
from datetime import date, timedelta

from babel.dates import format_date

from redpinar.store import submissions
from tests.conftest import make_app
from tests.participation_helpers import hidden_fields, log_in, post_form, sent_code, submit_message
from tests.test_inbox import act, mailbox, stored  # noqa: F401  (mailbox is a fixture)
from tests.test_pages import page_text
from tests.test_panel_settings import _form_values


def parsed(content):
    """An email as the SMTP server received it."""
    return email.message_from_string(content, policy=email.policy.default)


def citizen_replies(citizen, code, text):
    """The citizen (who sent the message from this browser) adds to it from the tracking page."""
    response = post_form(citizen, f"/seguimiento/{code}/", f"/seguimiento/{code}/responder", texto=text)
    assert response.status_code == 303, page_text(response)[:300]
    return response


def inbox_row(webmaster, code, query=""):
    """The text of the inbox row of a message ('' when the message is not listed)."""
    html = webmaster.get("/admin/mensajes/" + query).get_data(as_text=True)
    rows = [row for row in re.findall(r"<tr.*?</tr>", html, flags=re.S) if code in row]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", rows[0])) if rows else ""


def action_forms(webmaster, code):
    """The actions a message's page offers, by their address."""
    html = webmaster.get(f"/admin/mensajes/{code}/").get_data(as_text=True)
    return set(re.findall(rf'action="/admin/mensajes/{code}/([a-z-]+)"', html))


def test_inbox_flags_a_citizens_reply_until_the_webmaster_opens_the_message(app, client):
    code = sent_code(submit_message(client))
    webmaster = app.test_client()
    log_in(app, webmaster)
    webmaster.get(f"/admin/mensajes/{code}/")
    assert "respuesta nueva" not in inbox_row(webmaster, code)
    citizen_replies(client, code, "Olvidé decir que es la farmacia de la calle Martí.")
    assert "respuesta nueva" in inbox_row(webmaster, code)
    opened = page_text(webmaster.get(f"/admin/mensajes/{code}/"))
    assert "El ciudadano añadió algo desde la última vez que abrió este mensaje." in opened
    assert "respuesta nueva" not in inbox_row(webmaster, code)
    assert "El ciudadano añadió algo" not in page_text(webmaster.get(f"/admin/mensajes/{code}/"))


def test_inbox_flags_a_reopening_after_the_answer(app, client):
    code = sent_code(submit_message(client))
    webmaster = app.test_client()
    log_in(app, webmaster)
    act(webmaster, code, "responder", **{"answer-respuesta": "Ya hay medicamentos."})
    citizen_replies(client, code, "Fui ayer y seguían sin tenerlos.")
    assert "reabierto" in inbox_row(webmaster, code)
    assert "El ciudadano reabrió este mensaje después de la respuesta." in page_text(
        webmaster.get(f"/admin/mensajes/{code}/"))
    assert "reabierto" not in inbox_row(webmaster, code)


def test_what_the_citizen_sees_never_says_when_the_webmaster_read_it(app, client):
    code = sent_code(submit_message(client))
    citizen_replies(client, code, "Una cosa más sobre la farmacia.")
    webmaster = app.test_client()
    log_in(app, webmaster)
    webmaster.get(f"/admin/mensajes/{code}/")
    assert "webmaster_seen" in stored(app, code)
    assert "webmaster_seen" not in json.loads(client.get(f"/seguimiento/{code}/mis-datos.json").get_data(as_text=True))


def test_inbox_searches_by_code_and_by_text_in_any_case_and_without_accents(app, client):
    pharmacy = sent_code(submit_message(client))
    road = sent_code(submit_message(client, asunto="Bache en la carretera a Viñales",
                                    mensaje="Hay un bache enorme en el kilómetro 3 desde hace meses."))
    citizen_replies(client, road, "Ya hubo un accidente con una guagua.")
    webmaster = app.test_client()
    log_in(app, webmaster)

    def found(query):
        html = webmaster.get("/admin/mensajes/", query_string={"q": query}).get_data(as_text=True)
        return {code for code in (pharmacy, road) if code in html}

    assert found("PRESION") == {pharmacy}  # "presión" in the message
    assert found("vinales") == {road}  # "Viñales" in the subject
    assert found("Guagua") == {road}  # in the citizen's reply
    assert found(road.lower().replace("-", " ")) == {road}
    assert found(pharmacy[:4]) >= {pharmacy}
    assert found("nada de esto aparece") == set()
    assert 'value="PRESION"' in webmaster.get("/admin/mensajes/?q=PRESION").get_data(as_text=True)


def test_an_answered_message_shows_its_answer_as_text_and_hides_the_actions_that_no_longer_apply(app, client):
    code = sent_code(submit_message(client))
    log_in(app, client)
    assert {"responder", "reenviar", "prorrogar", "estado", "unir", "spam", "nota"} <= action_forms(client, code)
    act(client, code, "responder", **{"answer-respuesta": "Ya llegaron los **medicamentos**."})
    html = client.get(f"/admin/mensajes/{code}/").get_data(as_text=True)
    assert "<strong>medicamentos</strong>" in html and "Respuesta enviada" in html
    assert "Ya llegaron los **medicamentos**." not in html  # not in an editable box
    assert action_forms(client, code) & {"responder", "reenviar", "prorrogar", "unir", "spam"} == set()
    assert "nota" in action_forms(client, code)
    refused = act(client, code, "reenviar", **{"forward-entidad": "direccion-salud"})
    assert "No se puede: el mensaje está «Respondido»" in page_text(client.get(refused.headers["Location"]))
    assert stored(app, code)["status"] == "answered"


def test_closed_spam_and_merged_messages_offer_no_actions_that_move_them_on(app, client):
    closed, spam, merged, kept = (sent_code(submit_message(client)) for _ in range(4))
    log_in(app, client)
    act(client, closed, "estado", **{"status-estado": "closed"})
    act(client, spam, "spam")
    act(client, merged, "unir", **{"merge-codigo": kept})
    for code in (closed, spam, merged):
        assert action_forms(client, code) & {"responder", "reenviar", "prorrogar", "estado", "unir", "spam"} == set()
    refused = act(client, spam, "estado", **{"status-estado": "in_progress"})
    assert "No se puede" in page_text(client.get(refused.headers["Location"]))
    assert stored(app, spam)["status"] == "spam"


def test_a_refused_extension_says_why_with_the_last_day_it_was_allowed(app, client):
    code = sent_code(submit_message(client))
    due = date.today() + timedelta(days=6)
    with app.app_context():
        submissions.update_submission(code, {"due": due.isoformat()})
    log_in(app, client)
    refused = act(client, code, "prorrogar", **{"extend-dias": "30", "extend-motivo": "Falta un informe"})
    text = page_text(client.get(refused.headers["Location"]))
    last_day = format_date(due - timedelta(days=7), "long", locale="es")
    assert f"el último día para pedirla fue el {last_day}" in text
    assert "too late" not in text


def test_a_second_extension_is_refused_saying_only_one_is_allowed_in_the_pages_language(app, client):
    code = sent_code(submit_message(client))
    log_in(app, client)
    act(client, code, "prorrogar", **{"extend-dias": "10", "extend-motivo": "Falta un informe"})
    client.get("/admin/?lang=en")
    refused = act(client, code, "prorrogar", **{"extend-dias": "10", "extend-motivo": "Otra vez"})
    text = page_text(client.get(refused.headers["Location"]))
    assert "only one extension is allowed" in text and "too late or already extended" not in text


def turn_on_notices(webmaster, address):
    """Tick the webmaster's email notices in the settings page."""
    form = webmaster.get("/admin/ajustes").get_data(as_text=True)
    values = {**hidden_fields(form), **_form_values(form), "aviso_activo": "y", "aviso_correo": address}
    response = webmaster.post("/admin/ajustes", data=values)
    assert response.status_code == 303, page_text(response)[:500]


def test_the_webmaster_gets_an_email_for_each_new_message_and_each_citizen_reply(data_dir, mailbox):
    app = make_app(data_dir, SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port,
                   PUBLIC_URL="https://portal.pinar.example.cu")
    webmaster, citizen = app.test_client(), app.test_client()
    log_in(app, webmaster)
    code = sent_code(submit_message(citizen))
    assert mailbox.messages == []  # not asked for yet
    turn_on_notices(webmaster, "webmaster@pinar.example.cu")
    code = sent_code(submit_message(citizen))
    recipients, content = mailbox.messages[-1]
    notice = parsed(content)
    assert recipients == ["webmaster@pinar.example.cu"] and code in notice["Subject"]
    assert f"https://portal.pinar.example.cu/admin/mensajes/{code}/" in notice.get_content()
    citizen_replies(citizen, code, "Añado el horario de la farmacia.")
    recipients, content = mailbox.messages[-1]
    assert recipients == ["webmaster@pinar.example.cu"]
    assert f"El ciudadano respondió en el mensaje {code}" in parsed(content)["Subject"]


def test_notices_need_an_address(app, client):
    log_in(app, client)
    form = client.get("/admin/ajustes").get_data(as_text=True)
    response = client.post("/admin/ajustes", data={**hidden_fields(form), **_form_values(form), "aviso_activo": "y",
                                                    "aviso_correo": ""})
    assert response.status_code == 400 and "Escriba el correo que recibe los avisos." in page_text(response)


def test_smtp_set_by_the_environment_shows_as_such_and_read_only(data_dir):
    app = make_app(data_dir, SMTP_HOST="smtp.pinar.example.cu", SMTP_FROM="portal@pinar.example.cu")
    webmaster = app.test_client()
    log_in(app, webmaster)
    html = webmaster.get("/admin/ajustes").get_data(as_text=True)
    assert "Fijado por el entorno del servidor" in page_text(webmaster.get("/admin/ajustes"))
    server_input = re.search(r'<input[^>]*name="smtp_servidor"[^>]*>', html).group()
    assert "readonly" in server_input and 'value="smtp.pinar.example.cu"' in server_input
    values = {**hidden_fields(html), **_form_values(html), "smtp_servidor": "otro.example.cu"}
    assert webmaster.post("/admin/ajustes", data=values).status_code == 303
    with open(app.config["DATA_DIR"] + "/site.json", encoding="utf-8") as handle:
        assert "otro.example.cu" not in handle.read()


def test_smtp_not_set_by_the_environment_is_edited_in_the_settings_page(app, client):
    log_in(app, client)
    html = client.get("/admin/ajustes").get_data(as_text=True)
    assert "Fijado por el entorno del servidor" not in html
    assert "readonly" not in re.search(r'<input[^>]*name="smtp_servidor"[^>]*>', html).group()


def test_flask_check_names_a_broken_notice_setting(app, runner):
    with open(app.config["DATA_DIR"] + "/site.json", encoding="utf-8") as handle:
        site = json.load(handle)
    site["notifications"] = {"enabled": True, "email": ""}
    with open(app.config["DATA_DIR"] + "/site.json", "w", encoding="utf-8") as handle:
        json.dump(site, handle)
    result = runner.invoke(args=["check"])
    assert "'notifications.email' must be an address" in result.output
