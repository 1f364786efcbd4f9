"""What the citizen reads: receipts, tracking pages, the form, drafts and the emails."""
import email
import email.policy
import email.utils
import re
from datetime import date, timedelta

import pytest
from babel.dates import format_date

from tests.conftest import make_app
from tests.language import english
from tests.participation_helpers import hidden_fields, log_in, sent_code, submit_message
from tests.test_inbox import act, mailbox, stored  # noqa: F401  (mailbox is a fixture)
from tests.test_inbox_workday import citizen_replies, parsed
from tests.test_pages import page_text
from tests.test_participation_trust import resumed_form, saved_draft

DUE_LABEL = "Respuesta a más tardar"


def test_the_receipt_says_what_was_sent(client):
    code = sent_code(submit_message(client, tipo="peticion", asunto="Alumbrado en la calle Real"))
    text = page_text(client.get(f"/participa/recibo/{code}/"))
    assert "Tipo Petición" in text and "Asunto Alumbrado en la calle Real" in text


def test_the_tracking_page_shows_the_due_date_while_the_message_is_open(client):
    code = sent_code(submit_message(client))
    assert DUE_LABEL in page_text(client.get(f"/seguimiento/{code}/"))


@pytest.mark.parametrize("settle", ["answer", "merge", "spam", "withdraw"])
def test_the_tracking_page_hides_the_due_date_once_the_message_is_settled(app, client, settle):
    code = sent_code(submit_message(client))
    webmaster = app.test_client()
    log_in(app, webmaster)
    if settle == "answer":
        act(webmaster, code, "responder", **{"answer-respuesta": "Ya hay medicamentos."})
    elif settle == "merge":
        act(webmaster, code, "unir", **{"merge-codigo": sent_code(submit_message(app.test_client()))})
    elif settle == "spam":
        act(webmaster, code, "spam")
    else:
        form = hidden_fields(client.get(f"/seguimiento/{code}/borrar").get_data(as_text=True))
        client.post(f"/seguimiento/{code}/borrar", data=dict(form, confirmar="si"))
    assert stored(app, code)["status"] != "received"
    assert DUE_LABEL not in page_text(client.get(f"/seguimiento/{code}/"))


def test_the_tracking_page_stops_offering_to_reopen_once_reopened(app, client):
    code = sent_code(submit_message(client))
    webmaster = app.test_client()
    log_in(app, webmaster)
    act(webmaster, code, "responder", **{"answer-respuesta": "Ya hay medicamentos."})
    assert "Reabrir y responder" in page_text(client.get(f"/seguimiento/{code}/"))
    citizen_replies(client, code, "Fui ayer y seguían sin tenerlos.")
    text = page_text(client.get(f"/seguimiento/{code}/"))
    assert "Reabrir" not in text and "puede reabrir" not in text
    assert "Añadir" in text  # an open case still takes more information


def label_of(html, field_id):
    """The visible text of a field's label and what stands beside it."""
    found = re.search(rf'(<label[^>]*for="{field_id}"[^>]*>.*?</label>(?:\s*<span class="required"[^>]*>[^<]*</span>)?)',
                      html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", found.group(1))).strip()


def test_required_fields_are_marked_before_any_error(client):
    html = client.get("/participa/").get_data(as_text=True)
    assert 'class="error-summary"' not in html
    for field_id in ("tema", "municipio", "asunto", "mensaje"):
        assert label_of(html, field_id).endswith("(obligatorio)"), field_id
        # Assistive technology hears "required" from the input; the mark is not read twice.
        assert re.search(rf'<[^>]*id="{field_id}"[^>]*\srequired', html), field_id
        assert re.search(rf'for="{field_id}"[^>]*>[^<]*</label> <span class="required" aria-hidden="true">', html)
    for field_id in ("tipo-0", "respuesta-0"):
        assert re.search(rf'<input[^>]*id="{field_id}"[^>]*\srequired', html), field_id
    legends = re.findall(r"<legend>(.*?)</legend>", html, flags=re.S)
    assert legends and all("(obligatorio)" in legend for legend in legends)
    assert "obligatorio" not in label_of(html, "entidad")
    # Needed only in some cases: said in the field's description, which is read with it.
    assert re.search(r'<p class="hint" id="nombre-hint">Obligatorio, salvo en una denuncia.</p>', html)
    assert 'aria-describedby="nombre-hint"' in html
    assert "Obligatorio si quiere la respuesta por correo." in html


def test_required_fields_are_marked_in_english_too(client):
    html = client.get(english("/participa/")).get_data(as_text=True)
    assert label_of(html, "asunto").endswith("(required)")


def ticked(html, field_id):
    """True when the checkbox is ticked in the page."""
    return " checked" in re.search(rf'<input[^>]*id="{field_id}"[^>]*>', html).group()


def test_the_publish_consent_tick_survives_resuming_a_draft(client):
    code, pin = saved_draft(submit_message(client, accion="borrador", tipo="pregunta", publicar="y",
                                           confidencial="y"), client)
    html = resumed_form(client, code, pin)
    assert ticked(html, "publicar") and ticked(html, "confidencial")


def test_an_unticked_consent_stays_unticked_after_resuming(client):
    code, pin = saved_draft(submit_message(client, accion="borrador"), client)
    assert not ticked(resumed_form(client, code, pin), "publicar")


def mailing_app(data_dir, mailbox, **settings):
    """A portal whose emails land in the test's mailbox."""
    return make_app(data_dir, SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port,
                    PUBLIC_URL="https://portal.pinar.example.cu", **settings)


def test_emails_have_a_date_a_message_id_and_the_public_sender(data_dir, mailbox):
    app = mailing_app(data_dir, mailbox)
    sent_code(submit_message(app.test_client(), respuesta="correo", correo="maria@example.cu"))
    receipt = parsed(mailbox.messages[0][1])
    assert receipt["From"] == "no-reply@portal.pinar.example.cu"
    assert receipt["Date"] and email.utils.parsedate_to_datetime(receipt["Date"]).tzinfo is not None
    assert re.fullmatch(r"<[^@<>]+@portal\.pinar\.example\.cu>", receipt["Message-ID"])


def test_a_configured_sender_is_kept(data_dir, mailbox):
    app = mailing_app(data_dir, mailbox, SMTP_FROM="portal@pinar.example.cu")
    sent_code(submit_message(app.test_client(), respuesta="correo", correo="maria@example.cu"))
    assert parsed(mailbox.messages[0][1])["From"] == "portal@pinar.example.cu"


def test_emails_give_dates_in_words_in_the_citizens_language(data_dir, mailbox):
    app = mailing_app(data_dir, mailbox)
    due = date.today() + timedelta(days=30)
    sent_code(submit_message(app.test_client(), respuesta="correo", correo="maria@example.cu"))
    sent_code(submit_message(app.test_client(), english("/participa/"), respuesta="correo", correo="john@example.cu"))
    spanish_text, english_text = (parsed(content).get_content() for _, content in mailbox.messages)
    assert f"Respuesta a más tardar: {format_date(due, 'long', locale='es')}" in spanish_text
    assert due.isoformat() not in spanish_text
    assert format_date(due, "long", locale="en") in english_text
    assert "Type: Complaint" in english_text and "Tipo: Queja" in spanish_text


def test_the_answer_email_fits_the_answer_and_names_no_due_date(data_dir, mailbox):
    app = mailing_app(data_dir, mailbox)
    code = sent_code(submit_message(app.test_client(), respuesta="correo", correo="maria@example.cu"))
    webmaster = app.test_client()
    log_in(app, webmaster)
    act(webmaster, code, "responder", **{"answer-respuesta": "Ya hay medicamentos."})
    answer = parsed(mailbox.messages[-1][1])
    text = answer.get_content()
    assert "tiene respuesta" in answer["Subject"]
    assert "a más tardar" not in text and "recibió respuesta el" in text
    assert format_date(date.today(), "long", locale="es") in text
