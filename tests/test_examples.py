"""The example province shows the portal at work: example messages, always marked, never emailed, removable."""
import json
import os
import re
from collections import Counter
from datetime import date, datetime, timedelta, timezone

from redpinar.store import NotFound, audit, submissions
from redpinar.store.examples import count_examples
from tests.conftest import PROJECT_ROOT, make_app
from tests.language import english
from tests.participation_helpers import hidden_fields, log_in, sent_code, submit_message
from tests.test_inbox import act, mailbox, stored  # noqa: F401 (mailbox is a fixture)
from tests.test_pages import page_text

EXAMPLES_FILE = os.path.join(PROJECT_ROOT, "data", "demo", "pinar-del-rio", "messages.json")
REOPENED = "EJEM-VV29"
PUBLISHED_QUESTION = "¿Dónde se pide el certificado médico para la licencia de conducción?"


def examples(app):
    with app.app_context():
        return [document for document in submissions.iter_submissions() if document.get("example")]


def documented_pin():
    """The PIN the README gives for trying the examples' tracking page."""
    with open(os.path.join(PROJECT_ROOT, "README.md"), encoding="utf-8") as handle:
        return re.search(r"with the PIN \*\*(\d{6})\*\*", handle.read()).group(1)


def inbox_rows_html(client):
    html = client.get("/admin/mensajes/").get_data(as_text=True)
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr[^>]*>.*?</tr>", body, re.S)


def test_a_fresh_load_has_example_messages_in_every_state_dated_back_from_the_day_of_loading(app):
    stored_examples = examples(app)
    assert len(stored_examples) >= 30
    assert all(document["example"] is True and document["id"].startswith("EJEM-") for document in stored_examples)
    statuses = Counter(document["status"] for document in stored_examples)
    for status in ("received", "forwarded", "in_progress", "extended", "answered", "closed", "spam", "merged"):
        assert statuses[status], status
    assert {document["type"] for document in stored_examples} == {
        "queja", "peticion", "denuncia", "sugerencia", "opinion", "pregunta"}
    for field in ("topic", "entity", "municipality"):
        assert len({document[field] for document in stored_examples}) >= 4, field
    today = date.today().isoformat()
    assert any(document["status"] in ("received", "forwarded", "in_progress") and document["due"] < today
               for document in stored_examples)  # overdue
    assert any(document.get("extension") for document in stored_examples)
    assert sum(1 for document in stored_examples if document.get("answer_html")) >= 20
    assert sum(1 for document in stored_examples if document.get("faq")) >= 3
    assert any(step["status"] == "reopened" for step in stored(app, REOPENED)["history"])
    merged = next(document for document in stored_examples if document["status"] == "merged")
    assert stored(app, merged["merged_into"])["example"] is True
    created = sorted(datetime.fromisoformat(document["created"]) for document in stored_examples)
    now = datetime.now(timezone.utc)
    assert created[-1] <= now and now - created[-1] < timedelta(days=5)
    assert now - created[0] > timedelta(days=90)
    assert len({moment.strftime("%Y-%m") for moment in created}) >= 4


def test_the_examples_are_written_through_the_store_at_load_time_not_shipped_as_shard_files(data_dir):
    assert not os.path.exists(os.path.join(PROJECT_ROOT, "data", "demo", "pinar-del-rio", "submissions"))
    app = make_app(data_dir, SUBMISSION_SHARD_SIZE=4)
    with app.app_context():
        shards = submissions.shard_paths()
        assert len(shards) >= 10  # the store's own files, cut at the configured size
        assert count_examples() == submissions.count_submissions() >= 30
    result = app.test_cli_runner().invoke(args=["check"])
    assert result.exit_code == 0, result.output


def test_transparency_and_open_data_show_rows_and_say_the_figures_include_examples(app, client):
    text = page_text(client.get("/transparencia/"))
    assert re.search(r"Estas cifras incluyen \d+ mensajes de ejemplo", text)
    assert "Todavía no se ha recibido ningún mensaje" not in text
    assert "Salud" in text and "Vivienda" in text and "Pinar del Río" in text
    topics = client.get("/datos/temas.json").get_data(as_text=True)
    assert len(json.loads(topics)) >= 3 and "Salud" in topics
    assert len(json.loads(client.get("/datos/meses.json").get_data())) >= 3
    assert "mensajes de ejemplo" in page_text(client.get("/datos/"))
    english_text = page_text(client.get(english("/transparencia/")))
    assert "example messages" in english_text


def test_a_topic_page_shows_a_published_example_question_marked_as_an_example(client):
    html = client.get("/temas/salud/").get_data(as_text=True)
    summary = re.search(r"<summary>([^<]*)(.*?)</summary>", html, re.S)
    assert PUBLISHED_QUESTION in html
    assert summary and "Ejemplo" in summary.group(2)


def test_the_inbox_and_the_message_page_mark_every_example_and_no_real_message(app, client):
    real = sent_code(submit_message(client))
    log_in(app, client)
    rows = inbox_rows_html(client)
    example_codes = {document["id"] for document in examples(app)}
    marked = {re.search(r"/admin/mensajes/([A-Z0-9-]+)/", row).group(1) for row in rows if "Ejemplo" in row}
    assert len(rows) == len(example_codes) + 1  # all on the first page
    assert marked == example_codes and real not in marked
    assert "Se borran todos con «flask --app app purge --examples»" in page_text(client.get("/admin/mensajes/"))
    assert "Mensaje de ejemplo" in page_text(client.get(f"/admin/mensajes/{REOPENED}/"))
    assert "Mensaje de ejemplo" not in page_text(client.get(f"/admin/mensajes/{real}/"))
    exported = client.get("/admin/mensajes.csv").get_data(as_text=True)
    assert re.search(rf"{REOPENED};.*;sí\r?\n", exported) and not re.search(rf"{real};.*;sí\r?\n", exported)


def test_an_example_opens_on_the_tracking_page_with_the_pin_the_readme_gives(app, client):
    with open(EXAMPLES_FILE, encoding="utf-8") as handle:
        assert json.load(handle)["pin"] == documented_pin()
    form = hidden_fields(client.get("/seguimiento/").get_data(as_text=True))
    response = client.post("/seguimiento/", data=dict(form, codigo=REOPENED.lower(), pin=documented_pin()))
    assert response.status_code == 303
    page = page_text(client.get(response.headers["Location"]))
    assert "Este es un mensaje de ejemplo" in page and "Reabierto por el ciudadano" in page


def test_no_email_is_ever_sent_about_an_example_message(data_dir, mailbox):
    app = make_app(data_dir, SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port, SMTP_FROM="portal@pinar.example.cu")
    with_email = [document for document in examples(app) if document.get("email")]
    assert with_email  # examples do show an email address in the panel
    office = app.test_client()
    log_in(app, office)
    for document in with_email:
        assert act(office, document["id"], "estado", **{"status-estado": "in_progress"}).status_code == 303
        assert act(office, document["id"], "responder", **{"answer-respuesta": "Otra respuesta"}).status_code == 303
        assert stored(app, document["id"])["answer"] == "Otra respuesta"
    assert mailbox.messages == []
    citizen = app.test_client()
    sent_code(submit_message(citizen, respuesta="correo", correo="maria@example.cu"))
    assert len(mailbox.messages) == 1  # a real message is still told by email


def test_purge_examples_removes_every_example_and_its_questions_and_nothing_else(app, client, runner):
    real = sent_code(submit_message(client, tipo="pregunta", publicar="y", asunto="¿Abre la biblioteca el domingo?"))
    log_in(app, client)
    act(client, real, "responder", **{"answer-respuesta": "Sí, de 9 a 13."})
    act(client, real, "publicar", **{"faq-pregunta": "¿Abre la biblioteca el domingo?",
                                     "faq-respuesta_publica": "Sí, de 9 a 13.", "faq-revisado": "y"})
    before = stored(app, real)
    result = runner.invoke(args=["purge", "--examples"])
    assert result.exit_code == 0, result.output
    assert re.search(r"Removed \d+ example message", result.output)
    assert examples(app) == []
    with app.app_context():
        assert submissions.count_submissions() == 1
        try:
            submissions.get_submission(REOPENED)
            raise AssertionError("an example is still there")
        except NotFound:
            pass
        logged = audit.recent(date.today().strftime("%Y-%m"))
    assert stored(app, real) == before
    topic = page_text(client.get("/temas/salud/"))
    assert PUBLISHED_QUESTION not in topic and "¿Abre la biblioteca el domingo?" in topic
    assert [row["question"] for row in json.loads(client.get("/datos/preguntas.json").get_data())] == [
        "¿Abre la biblioteca el domingo?"]
    figures = page_text(client.get("/transparencia/"))
    assert "mensajes de ejemplo" not in figures and "1 mensajes recibidos" in figures
    assert "mensaje de ejemplo" not in page_text(client.get("/admin/mensajes/"))
    assert any(entry["action"] == "examples-purged" and entry["actor"] == "command line" for entry in logged)
    again = runner.invoke(args=["purge", "--examples"])
    assert again.exit_code == 0 and "Removed 0 example message" in again.output
