"""What one citizen can send is bounded: drafts (each in its own file) and replies to a message."""
import json
import os
import re
from datetime import datetime, timedelta, timezone

from redpinar.participation.cases import hash_pin
from redpinar.store import submissions
from tests.conftest import make_app
from tests.participation_helpers import MESSAGE, hidden_fields, sent_code, submit_message
from tests.test_pages import page_text

DRAFT = re.compile(r"Código del borrador ([A-Z0-9]{4}-[A-Z0-9]{4}) PIN (\d{6})")


def draft_file(app, code):
    """Where a draft lives on disk."""
    return os.path.join(app.config["DATA_DIR"], "drafts", code + ".json")


def save_draft(client, **changes):
    """Save the form as a draft; returns (code, PIN)."""
    response = submit_message(client, **dict({"accion": "borrador"}, **changes))
    assert response.status_code == 303, response.status_code
    return DRAFT.search(page_text(client.get(response.headers["Location"]))).groups()


def read_draft(app, code):
    """A draft's document as stored."""
    with open(draft_file(app, code), encoding="utf-8") as handle:
        return json.load(handle)


def age_draft(path, days):
    """Make a draft file look saved `days` ago (document and file time alike)."""
    with open(path, encoding="utf-8") as handle:
        document = json.load(handle)
    then = datetime.now(timezone.utc) - timedelta(days=days)
    document["updated"] = then.isoformat(timespec="seconds")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(document, handle)
    os.utime(path, (then.timestamp(), then.timestamp()))


def test_saving_a_draft_never_rewrites_another_citizens_draft(app, client):
    first, _ = save_draft(client, mensaje="El primer borrador, de otra persona.")
    before = os.stat(draft_file(app, first))
    with open(draft_file(app, first), "rb") as handle:
        content = handle.read()
    second, _ = save_draft(app.test_client(), mensaje="Un segundo borrador de otra vecina.")
    after = os.stat(draft_file(app, first))
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (before.st_ino, before.st_mtime_ns, before.st_size)
    with open(draft_file(app, first), "rb") as handle:
        assert handle.read() == content
    assert read_draft(app, second)["fields"]["message"] == "Un segundo borrador de otra vecina."


def test_a_draft_keeps_only_offered_choices_and_clean_text(app, client):
    code, _ = save_draft(client, tipo="<script>", tema="../../etc", entidad="inventada", municipio="nowhere",
                         respuesta="paloma", asunto="Guagua\x00 de\x1b Mantua")
    fields = read_draft(app, code)["fields"]
    assert (fields["type"], fields["topic"], fields["entity"], fields["municipality"]) == ("", "", "", "")
    assert fields["answer_by"] == "codigo" and fields["subject"] == "Guagua de Mantua"
    kept, _ = save_draft(client, tema="salud", municipio="guane")
    assert read_draft(app, kept)["fields"]["topic"] == "salud"


def test_a_draft_over_the_forms_limits_is_refused_with_the_text_kept(app, client):
    response = submit_message(client, accion="borrador", asunto="Muy largo " * 20)
    assert response.status_code == 400
    assert "No guardamos el borrador" in page_text(response)
    assert "El asunto debe tener entre 3 y 150 caracteres." in page_text(response)
    assert MESSAGE["mensaje"] in response.get_data(as_text=True)
    assert not os.path.exists(os.path.join(app.config["DATA_DIR"], "drafts")) or \
        os.listdir(os.path.join(app.config["DATA_DIR"], "drafts")) == []


def test_too_many_drafts_from_one_address_get_a_clear_message_and_keep_the_text(data_dir):
    app = make_app(data_dir, RATE_LIMITS=True)
    client = app.test_client()
    for _ in range(10):
        save_draft(client)
    response = submit_message(client, accion="borrador", mensaje="El undécimo borrador de la hora sobre el agua.")
    assert response.status_code == 429
    assert "Ya guardamos varios borradores desde su conexión" in page_text(response)
    assert "El undécimo borrador de la hora" in response.get_data(as_text=True)
    assert len(os.listdir(os.path.join(data_dir, "drafts"))) == 10


def test_expired_drafts_go_on_a_save_at_most_once_an_hour_and_with_purge(app, client, runner):
    old, _ = save_draft(client)
    age_draft(draft_file(app, old), days=31)
    recent, _ = save_draft(app.test_client())
    assert os.path.exists(draft_file(app, old))  # the first save swept already: no scan on every save
    fresh_app = make_app(app.config["DATA_DIR"], province=None)  # another process: its first save sweeps
    fresh, _ = save_draft(fresh_app.test_client())
    assert not os.path.exists(draft_file(app, old))
    age_draft(draft_file(app, recent), days=31)
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "Removed 1 draft(s)" in result.output
    assert not os.path.exists(draft_file(app, recent)) and os.path.exists(draft_file(app, fresh))


def test_drafts_of_an_older_install_are_moved_to_a_file_each_and_still_open(app, client):
    legacy = os.path.join(app.config["DATA_DIR"], "drafts.json")
    with app.app_context():
        pin_hash = hash_pin("424242")
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    document = {"id": "K7X9-P2MQ", "created": now, "updated": now, "schema": 1, "pin_hash": pin_hash,
                "fields": {"type": "queja", "subject": "Borrador de antes", "message": "Texto guardado antes."}}
    with open(legacy, "w", encoding="utf-8") as handle:
        json.dump({"_default": {"1": document}}, handle)
    form = hidden_fields(client.get("/participa/borrador/").get_data(as_text=True))
    resumed = client.post("/participa/borrador/", data=dict(form, codigo="K7X9-P2MQ", pin="424242"))
    assert "Texto guardado antes." in resumed.get_data(as_text=True)
    assert not os.path.exists(legacy)
    assert read_draft(app, "K7X9-P2MQ")["fields"]["subject"] == "Borrador de antes"


def reply(client, code, text):
    """Post a reply from the message's page, as the page's own form does."""
    form = hidden_fields(client.get(f"/seguimiento/{code}/").get_data(as_text=True))
    return client.post(f"/seguimiento/{code}/responder", data=dict(form, texto=text))


def replies_of(app, code):
    """The replies stored with a message."""
    with app.app_context():
        return submissions.get_submission(code).get("replies", [])


def limited_app(data_dir):
    """The portal with its limits on."""
    return make_app(data_dir, RATE_LIMITS=True)


def test_a_reply_over_5000_characters_shows_the_page_again_with_the_text(data_dir):
    app = limited_app(data_dir)
    client = app.test_client()
    code = sent_code(submit_message(client))
    response = reply(client, code, "Añado " + "x" * 5000)
    assert response.status_code == 400
    assert "La respuesta debe tener entre 2 y 5000 caracteres." in page_text(response)
    assert "Añado xxxxx" in response.get_data(as_text=True) and f"Mensaje {code}" in page_text(response)
    assert replies_of(app, code) == []


def test_replies_to_one_message_are_limited_per_hour_with_the_text_kept(data_dir):
    app = limited_app(data_dir)
    client = app.test_client()
    code = sent_code(submit_message(client))
    for number in range(5):
        assert reply(client, code, f"Dato nuevo número {number}").status_code == 303
    refused = reply(client, code, "El sexto dato de la hora")
    assert refused.status_code == 429
    assert "Ya recibimos varias respuestas en la última hora" in page_text(refused)
    assert "El sexto dato de la hora" in refused.get_data(as_text=True)
    assert len(replies_of(app, code)) == 5


def test_replies_from_one_address_are_limited_per_hour_across_messages(data_dir):
    app = limited_app(data_dir)
    client = app.test_client()
    codes = [sent_code(submit_message(client, asunto=f"Mensaje número {number}")) for number in range(5)]
    for code in codes:
        for number in range(4):
            assert reply(client, code, f"Dato {number}").status_code == 303
    refused = reply(client, codes[-1], "Uno más desde la misma conexión")
    assert refused.status_code == 429
    assert "Uno más desde la misma conexión" in refused.get_data(as_text=True)
    assert len(replies_of(app, codes[-1])) == 4


def test_a_message_holds_at_most_20_replies_so_its_shard_stays_small(data_dir):
    app = limited_app(data_dir)
    client = app.test_client()
    code = sent_code(submit_message(client))
    with app.app_context():
        submissions.modify_submission(code, lambda document: document.update(
            replies=[{"at": "2026-01-01T00:00:00+00:00", "text": f"Dato {number}"} for number in range(20)]))
    refused = reply(client, code, "El añadido número veintiuno")
    assert refused.status_code == 400
    assert "Este mensaje ya tiene 20 añadidos, el máximo." in page_text(refused)
    assert "El añadido número veintiuno" in refused.get_data(as_text=True)
    assert refused.headers["Cache-Control"] == "private, no-store"
    assert len(replies_of(app, code)) == 20
