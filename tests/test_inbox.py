"""The webmaster answers citizens: login, inbox, actions, audit, email, public figures."""
import csv
import io
import json
import socket
from datetime import date, timedelta

import pytest

from redpinar.store import audit, submissions
from tests.conftest import make_app
from tests.language import english
from tests.participation_helpers import (PASSWORD, hidden_fields, log_in, post_form, receipt_pin, sent_code,
                                         submit_message, without_examples)
from tests.test_pages import page_text


def act(client, code, action, **fields):
    """Post one action form of a message's page."""
    return post_form(client, f"/admin/mensajes/{code}/", f"/admin/mensajes/{code}/{action}", **fields)


def stored(app, code):
    with app.app_context():
        return submissions.get_submission(code)


@pytest.mark.parametrize("path", ["/admin/", "/admin/mensajes/", "/admin/mensajes.csv", "/admin/mensajes/ABCD-EFGH/"])
def test_every_panel_address_sends_strangers_to_the_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/admin/login" in response.headers["Location"]


def test_panel_posts_without_the_form_token_are_refused(app, client):
    code = sent_code(submit_message(client))
    log_in(app, client)
    assert client.post(f"/admin/mensajes/{code}/spam").status_code == 400
    assert client.post("/admin/logout").status_code == 400
    assert stored(app, code)["status"] == "received"


@pytest.mark.parametrize("target", ["//evil.example/", "/\\evil.example", "https://evil.example/", "javascript:alert(1)"])
def test_login_never_redirects_away_from_the_portal(app, client, target):
    with app.app_context():
        from redpinar.store.users import create_admin
        create_admin("webmaster", PASSWORD)
    form = hidden_fields(client.get("/admin/login").get_data(as_text=True))
    response = client.post("/admin/login", query_string={"next": target},
                           data=dict(form, usuario="webmaster", clave=PASSWORD))
    assert response.headers["Location"] == "/admin/mensajes/"


def test_login_is_throttled_after_repeated_failures_and_audited(data_dir):
    app = make_app(data_dir, RATE_LIMITS=True)
    client = app.test_client()
    with app.app_context():
        from redpinar.store.users import create_admin
        create_admin("webmaster", PASSWORD)
    form = hidden_fields(client.get("/admin/login").get_data(as_text=True))
    for _ in range(5):
        assert client.post("/admin/login", data=dict(form, usuario="webmaster", clave="mala")).status_code == 400
    locked = client.post("/admin/login", data=dict(form, usuario="webmaster", clave=PASSWORD))
    assert locked.status_code == 429
    with app.app_context():
        actions = [entry["action"] for entry in audit.recent(date.today().strftime("%Y-%m"))]
    assert actions.count("login-failed") == 5 and "login-throttled" in actions


def test_inbox_lists_messages_by_due_date_with_filters_and_flags_overdue(app, client):
    without_examples(app)
    first = sent_code(submit_message(client, municipio="guane"))
    second = sent_code(submit_message(client, municipio="vinales", tipo="pregunta"))
    with app.app_context():
        submissions.update_submission(first, {"due": (date.today() - timedelta(days=2)).isoformat()})
    log_in(app, client)
    html = client.get("/admin/mensajes/").get_data(as_text=True)
    assert html.index(first) < html.index(second)
    assert 'class="overdue"' in html
    only_vinales = client.get("/admin/mensajes/?municipio=vinales").get_data(as_text=True)
    assert second in only_vinales and first not in only_vinales
    overdue = client.get("/admin/mensajes/?atrasados=1").get_data(as_text=True)
    assert first in overdue and second not in overdue
    exported = client.get("/admin/mensajes.csv?tipo=pregunta").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported), delimiter=";"))
    assert rows[0][0] == "Código" and [row[0] for row in rows[1:]] == [second]


def test_webmaster_forwards_extends_and_answers_and_the_citizen_sees_it(app, client):
    citizen = app.test_client()
    code = sent_code(submit_message(citizen))
    log_in(app, client)
    assert act(client, code, "reenviar", **{"forward-entidad": "direccion-salud"}).status_code == 303
    assert act(client, code, "prorrogar", **{"extend-dias": "20", "extend-motivo": "Falta un informe del hospital"}).status_code == 303
    again = act(client, code, "prorrogar", **{"extend-dias": "10", "extend-motivo": "Otra vez"})
    assert "No se puede" in page_text(client.get(again.headers["Location"]))
    act(client, code, "nota", **{"note-nota": "Llamar a la farmacia el lunes"})
    act(client, code, "responder", **{"answer-respuesta": "Ya llegaron los medicamentos. <script>alert(1)</script>"})
    saved = stored(app, code)
    assert saved["status"] == "answered" and saved["forwarded_to"] == "direccion-salud"
    assert saved["due"] == (date.today() + timedelta(days=50)).isoformat()
    assert "<script>" not in saved["answer_html"]
    assert [step["by"] for step in saved["history"][1:]] == ["webmaster"] * 3
    text = page_text(citizen.get(f"/seguimiento/{code}/"))
    assert "Respondido" in text and "Ya llegaron los medicamentos." in text
    assert "Falta un informe del hospital" in text
    assert "Llamar a la farmacia" not in text  # internal notes stay internal
    with app.app_context():
        actions = [entry["action"] for entry in audit.recent(date.today().strftime("%Y-%m"))]
    assert {"submission-reenviar", "submission-prorrogar", "submission-responder", "submission-nota"} <= set(actions)


def test_an_extension_needs_seven_days_before_the_due_date(app, client):
    code = sent_code(submit_message(client))
    with app.app_context():
        submissions.update_submission(code, {"due": (date.today() + timedelta(days=6)).isoformat()})
    log_in(app, client)
    refused = act(client, code, "prorrogar", **{"extend-dias": "30", "extend-motivo": "Tarde"})
    assert "No se puede" in page_text(client.get(refused.headers["Location"]))
    assert "extension" not in stored(app, code)


def test_citizen_reopens_after_an_answer_and_says_whether_it_solved_it(app, client):
    code = sent_code(submit_message(client))
    webmaster = app.test_client()
    log_in(app, webmaster)
    act(webmaster, code, "responder", **{"answer-respuesta": "Respuesta"})
    page = f"/seguimiento/{code}/"
    post_form(client, page, f"/seguimiento/{code}/valoracion", resuelto="no")
    post_form(client, page, f"/seguimiento/{code}/responder", texto="Sigue sin haber medicamentos.")
    saved = stored(app, code)
    assert saved["solved"] is False and saved["status"] == "in_progress"
    assert saved["history"][-1]["status"] == "reopened"
    assert "Sigue sin haber medicamentos." in page_text(webmaster.get(f"/admin/mensajes/{code}/"))


def test_spam_and_duplicates_leave_the_public_figures(app, client):
    without_examples(app)
    codes = [sent_code(submit_message(client)) for _ in range(7)]
    log_in(app, client)
    act(client, codes[0], "spam")
    act(client, codes[1], "unir", **{"merge-codigo": codes[2]})
    figures = page_text(client.get("/transparencia/"))
    assert "5 mensajes recibidos" in figures


def test_transparency_shows_rates_and_hides_groups_under_five(app, client):
    without_examples(app)
    for _ in range(5):
        sent_code(submit_message(client, municipio="guane"))
    lonely = sent_code(submit_message(client, municipio="mantua"))
    log_in(app, client)
    act(client, lonely, "responder", **{"answer-respuesta": "Hecho"})
    text = page_text(client.get("/transparencia/"))
    assert "6 mensajes recibidos" in text and "1 respondidos" in text and "100 % respondidos en plazo" in text
    assert "Guane" in text and "Mantua" not in text
    data = client.get("/datos/municipios.json").get_data(as_text=True)
    assert json.loads(data) == [
        {"municipality": "guane", "municipality_es": "Guane", "municipality_en": "Guane", "messages": 5},
        {"municipality": "(otros)", "municipality_es": "Otros (grupos de menos de 5)",
         "municipality_en": "Others (groups of fewer than 5)", "messages": 1}]
    svg = client.get("/transparencia/").get_data(as_text=True)
    assert '<svg role="img"' in svg and "<title" in svg


def test_open_data_never_holds_personal_data(app, client):
    for _ in range(6):
        sent_code(submit_message(client, nombre="Juana Secreta", correo="juana@example.cu", respuesta="correo"))
    for name in ("meses", "tipos", "temas", "entidades", "municipios", "preguntas"):
        for extension in ("csv", "json"):
            body = client.get(f"/datos/{name}.{extension}").get_data(as_text=True)
            assert "Juana" not in body and "juana@" not in body and "medicamentos" not in body


def test_published_question_appears_under_its_topic_without_personal_data(app, client):
    code = sent_code(submit_message(client, tipo="pregunta", publicar="y", nombre="Pedro Privado",
                                    asunto="¿Abre el policlínico el sábado?"))
    no_consent = sent_code(submit_message(client, tipo="pregunta"))
    log_in(app, client)
    act(client, code, "responder", **{"answer-respuesta": "Sí, de 8 a 12."})
    act(client, code, "publicar", **{"faq-pregunta": "¿Abre el policlínico el sábado?",
                                     "faq-respuesta_publica": "Sí, de **8 a 12**.", "faq-revisado": "y"})
    refused = act(client, no_consent, "publicar", **{"faq-pregunta": "x", "faq-respuesta_publica": "y"})
    assert refused.status_code == 303 and "faq" not in stored(app, no_consent)
    topic = client.get("/temas/salud/").get_data(as_text=True)
    assert "¿Abre el policlínico el sábado?" in topic and "<strong>8 a 12</strong>" in topic
    assert "Pedro Privado" not in topic
    assert "¿Abre el policlínico el sábado?" in client.get("/datos/preguntas.csv").get_data(as_text=True)


def test_logout_is_a_post_and_ends_the_session(app, client):
    log_in(app, client)
    assert client.get("/admin/logout").status_code == 405
    post_form(client, "/admin/mensajes/", "/admin/logout")
    assert client.get("/admin/mensajes/").status_code == 302


def test_retention_purge_anonymises_old_submissions(app, client, runner):
    old = sent_code(submit_message(client, nombre="Antiguo Vecino"))
    recent = sent_code(submit_message(client, nombre="Vecino Reciente"))
    with app.app_context():
        submissions.import_submissions([dict(submissions.get_submission(old), id="OLDX-OLDX",
                                             created="2019-03-01T10:00:00+00:00")])
    result = runner.invoke(args=["purge"])
    assert "Anonymised 1 submission(s)" in result.output
    assert stored(app, "OLDX-OLDX")["name"] == "" and stored(app, recent)["name"] == "Vecino Reciente"


class Mailbox:
    """A real SMTP server on the loopback address that keeps what it receives."""

    def __init__(self):
        from aiosmtpd.controller import Controller
        self.messages = []
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


@pytest.fixture
def mailbox():
    """A local SMTP server for the test."""
    box = Mailbox()
    box.controller.start()
    yield box
    box.controller.stop()


def test_citizen_with_an_email_gets_the_receipt_and_each_change_by_email(data_dir, mailbox):
    app = make_app(data_dir, SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port, SMTP_FROM="portal@pinar.example.cu")
    citizen = app.test_client()
    code = sent_code(submit_message(citizen, respuesta="correo", correo="maria@example.cu"))
    pin = receipt_pin(citizen, code)
    assert "También le avisaremos por correo a maria@example.cu" in page_text(citizen.get(f"/participa/recibo/{code}/"))
    assert len(mailbox.messages) == 1
    recipients, content = mailbox.messages[0]
    assert recipients == ["maria@example.cu"] and code in content and pin not in content
    webmaster = app.test_client()
    log_in(app, webmaster)
    act(webmaster, code, "responder", **{"answer-respuesta": "Respuesta"})
    assert len(mailbox.messages) == 2 and "tiene respuesta" in mailbox.messages[1][1]


def test_without_smtp_nothing_is_sent_and_the_portal_works_the_same(client):
    code = sent_code(submit_message(client, respuesta="correo", correo="maria@example.cu"))
    assert "Mensaje recibido" in page_text(client.get(f"/participa/recibo/{code}/"))


def test_the_home_page_never_tells_visitors_how_to_administer_the_server(app, client):
    for language in ("es", "en"):
        home = page_text(client.get(english("/") if language == "en" else "/"))  # a new install: no webmaster yet
        assert "create-admin" not in home and "flask --app" not in home and "webmaster" not in home.lower()
    log_in(app, client)
    assert "create-admin" not in page_text(client.get("/"))
