"""The activity log says what happened in words, with the item's title, in the panel's language; the
commands run on the server are in it too."""
import pytest

from redpinar.store import audit
from tests.participation_helpers import PASSWORD, log_in, post_form, sent_code, submit_message
from tests.test_pages import page_text

PROCEDURE = "Licencia de pesca deportiva"
NEW_PROCEDURE = "/admin/contenido/procedures/nuevo"


@pytest.fixture
def webmaster(app, client):
    """A logged-in webmaster's browser."""
    log_in(app, client)
    return client


def act(client, code, action, **fields):
    """Post one action form of a message's page."""
    response = post_form(client, f"/admin/mensajes/{code}/", f"/admin/mensajes/{code}/{action}", **fields)
    assert response.status_code == 303
    return response


def create_procedure(client, title=PROCEDURE):
    """A procedure made through the editor; its editor's address."""
    fields = {"title_es": title, "summary_es": "Para pescar desde la costa.", "steps": "Llene la solicitud",
              "accion": "guardar"}
    created = post_form(client, NEW_PROCEDURE, NEW_PROCEDURE, **fields)
    assert created.status_code == 303, page_text(created)[:300]
    return created.headers["Location"], fields


def activity(client, query=""):
    """The visible text of the activity log."""
    response = client.get("/admin/registro" + query)
    assert response.status_code == 200
    return page_text(response)


def test_activity_log_says_what_the_webmaster_did_in_words(app, webmaster):
    code = sent_code(submit_message(app.test_client()))
    act(webmaster, code, "reenviar", **{"forward-entidad": "direccion-salud"})
    act(webmaster, code, "prorrogar", **{"extend-dias": "20", "extend-motivo": "Falta un informe del hospital"})
    act(webmaster, code, "estado", **{"status-estado": "in_progress"})
    editor, fields = create_procedure(webmaster)
    assert post_form(webmaster, editor, editor, **dict(fields, steps="Llene la solicitud en línea")).status_code == 303
    assert post_form(webmaster, editor, editor + "papelera").status_code == 303

    text = activity(webmaster)
    assert "Entró al panel." in text
    assert f"Reenvió el mensaje {code} a Dirección Provincial de Salud." in text
    assert f"Prorrogó 20 días el plazo del mensaje {code}." in text
    assert f"Cambió el estado del mensaje {code} a «En trámite»." in text
    assert f"Creó el trámite «{PROCEDURE}»." in text
    assert f"Editó el trámite «{PROCEDURE}»." in text
    assert f"Llevó a la papelera el trámite «{PROCEDURE}»." in text
    for code_word in ("submission-reenviar", "content-save", "content-papelera", "procedures/", "direccion-salud"):
        assert code_word not in text, f"the activity log shows the code {code_word!r}"


def test_activity_log_speaks_the_panels_language(app, webmaster):
    code = sent_code(submit_message(app.test_client()))
    act(webmaster, code, "reenviar", **{"forward-entidad": "direccion-salud"})
    create_procedure(webmaster)
    text = activity(webmaster, "?lang=en")
    assert "Logged in to the panel." in text
    assert f"Forwarded message {code} to Dirección Provincial de Salud." in text
    assert f"Created the procedure “{PROCEDURE}”." in text
    assert "Entró al panel" not in text and "Reenvió" not in text


def test_activity_log_filters_by_person_and_by_words(app, webmaster):
    create_procedure(webmaster)
    with app.app_context():
        audit.record("otra", "settings-saved")
    text = activity(webmaster, "?quien=webmaster&accion=tr%C3%A1mite")
    assert f"Creó el trámite «{PROCEDURE}»." in text
    assert "Entró al panel." not in text and "Guardó los ajustes" not in text
    assert "Guardó los ajustes de la provincia." in activity(webmaster, "?quien=otra")


def test_entries_without_a_recorded_title_name_the_item_by_its_title_today(app, webmaster):
    editor, _fields = create_procedure(webmaster)
    document_id = editor.rstrip("/").rsplit("/", 1)[1]
    with app.app_context():
        audit.record("otra", "content-save", target=f"procedures/{document_id}")
        audit.record("otra", "content-save", target="procedures/0000000000000000")
    text = activity(webmaster, "?quien=otra")
    assert f"Editó el trámite «{PROCEDURE}»." in text
    assert "Editó el trámite «0000000000000000»." in text  # gone for good: its id is all that is left


def test_unknown_actions_fall_back_to_a_readable_phrase(app, webmaster):
    editor, _fields = create_procedure(webmaster)
    document_id = editor.rstrip("/").rsplit("/", 1)[1]
    with app.app_context():
        audit.record("otra", "content-shredded", target=f"procedures/{document_id}")
        audit.record("otra", "coffee-made")
    text = activity(webmaster, "?quien=otra")
    assert f"Acción «content shredded» sobre el trámite «{PROCEDURE}»." in text
    assert "Acción «coffee made»." in text
    assert "content-shredded" not in text


def test_server_commands_are_in_the_activity_log(app, webmaster, runner, tmp_path):
    created = runner.invoke(args=["create-admin", "ana", "--password-stdin"], input=PASSWORD + "\n")
    assert created.exit_code == 0, created.output
    again = runner.invoke(args=["create-admin", "ana", "--password-stdin"], input=PASSWORD + " otra vez\n")
    assert again.exit_code == 0, again.output
    archive = tmp_path / "copia.tar.gz"
    assert runner.invoke(args=["backup", str(archive)]).exit_code == 0
    purged = runner.invoke(args=["purge"])
    assert purged.exit_code == 0, purged.output

    text = activity(webmaster, "?quien=l%C3%ADnea+de+%C3%B3rdenes")
    assert "línea de órdenes Creó la cuenta de webmaster «ana»." in text
    assert "línea de órdenes Puso una contraseña nueva a la cuenta de webmaster «ana»." in text
    assert f"línea de órdenes Escribió una copia de seguridad en {archive}." in text
    assert "línea de órdenes Anonimizó los mensajes recibidos antes del" in text
    english = activity(webmaster, "?lang=en")
    assert "command line Created the webmaster account “ana”." in english
    assert f"command line Wrote a backup to {archive}." in english

    restored = runner.invoke(args=["restore", str(archive)])
    assert restored.exit_code == 0, restored.output
    log_in(app, webmaster)  # the restore ended the session (open sessions are not in a backup)
    text = activity(webmaster, "?lang=es&quien=l%C3%ADnea+de+%C3%B3rdenes")
    assert f"línea de órdenes Restauró la copia de seguridad {archive}." in text
    assert "Creó la cuenta de webmaster «ana»." in text  # the log as it was in the backup, then the restore
    assert "Anonimizó" not in text  # the purge came after the backup
