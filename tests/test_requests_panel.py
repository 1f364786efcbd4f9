"""Online requests in the panel: the inbox beside messages, one request's page and actions, print, CSV, audit."""
import csv
import io
import re

import pytest

from redpinar.store.requests import get_request
from tests.participation_helpers import hidden_fields, log_in, post_form, sent_code, submit_message
from tests.request_helpers import SLUG, send_request

ENGLISH_PANEL = "/admin/?lang=en"


@pytest.fixture
def office(app):
    """A logged-in webmaster's client."""
    client = app.test_client()
    log_in(app, client)
    return client


@pytest.fixture
def sent(app):
    """A request sent by a citizen with a PDF: (code, pin)."""
    return send_request(app.test_client())


def request_page(office, code):
    return office.get(f"/admin/solicitudes/{code}/").get_data(as_text=True)


def move(office, code, status, note=None):
    """Press one action button of the request's page."""
    page = f"/admin/solicitudes/{code}/"
    fields = {f"{status}-nota": note} if note is not None else {}
    return post_form(office, page, f"/admin/solicitudes/{code}/estado/{status}", **fields)


def status_of(app, code):
    with app.app_context():
        return get_request(code)["status"]


def test_requests_appear_in_the_inbox_beside_messages(app, office, sent):
    code, _ = sent
    message = sent_code(submit_message(app.test_client()))
    html = office.get("/admin/mensajes/").get_data(as_text=True)
    assert f"/admin/solicitudes/{code}/" in html and f"/admin/mensajes/{message}/" in html
    only_requests = office.get("/admin/mensajes/?clase=solicitudes").get_data(as_text=True)
    assert code in only_requests and f"/admin/mensajes/{message}/" not in only_requests
    only_messages = office.get("/admin/mensajes/?clase=mensajes").get_data(as_text=True)
    assert code not in only_messages and message in only_messages


def test_inbox_filters_requests_by_status(app, office, sent):
    code, _ = sent
    move(office, code, "in_review")
    assert code in office.get("/admin/mensajes/?estado=in_review").get_data(as_text=True)
    assert code not in office.get("/admin/mensajes/?estado=received").get_data(as_text=True)
    assert code not in office.get("/admin/mensajes/?estado=forwarded").get_data(as_text=True)


def test_inbox_filters_requests_by_procedure(app, office, sent):
    code, _ = sent
    assert code in office.get(f"/admin/mensajes/?tramite={SLUG}").get_data(as_text=True)
    other = office.get("/admin/mensajes/?tramite=licencia-construccion").get_data(as_text=True)
    assert code not in other
    hostile = office.get("/admin/mensajes/?tramite=%3Cscript%3E&clase=%00&estado=../../x")
    assert hostile.status_code == 200 and "<script>" not in hostile.get_data(as_text=True)


def test_request_page_shows_answers_as_asked_files_and_clock(app, office, sent):
    code, _ = sent
    html = request_page(office, code)
    assert "María Pérez" in html and "85031512345" in html
    link = re.search(rf'href="(/seguimiento/solicitudes/{code}/archivos/[^"]+)"', html).group(1)
    download = office.get(link)
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    with app.app_context():
        due = get_request(code)["due"]
    assert "quedan" in html and due[:4] in html


def test_request_page_keeps_the_questions_as_they_were_asked(app, office, sent):
    code, _ = sent
    from redpinar.store.requests import SHARDS
    with app.app_context():
        SHARDS.modify(code, lambda document: document["questions"][1]["label"].update(es="Nombre como se preguntó"))
    assert "Nombre como se preguntó" in request_page(office, code)


def test_each_status_move_reaches_the_citizen_and_the_history(app, office, sent):
    code, pin = sent
    assert move(office, code, "in_review").status_code == 303
    assert status_of(app, code) == "in_review"
    assert move(office, code, "more_info", "Falta la firma del propietario.").status_code == 303
    assert status_of(app, code) == "more_info"
    assert move(office, code, "ready", "Recójalo el lunes.").status_code == 303
    assert status_of(app, code) == "ready"
    assert move(office, code, "closed").status_code == 303
    html = request_page(office, code)
    assert status_of(app, code) == "closed" and "Falta la firma del propietario." in html and "(webmaster)" in html


def test_refusal_needs_a_reason_and_is_recorded(app, office, sent):
    code, _ = sent
    refused = move(office, code, "refused", "")
    assert refused.status_code == 303 and status_of(app, code) == "received"
    assert "Diga el motivo del rechazo." in office.get(refused.headers["Location"]).get_data(as_text=True)
    assert move(office, code, "refused", "No es competencia de esta entidad.").status_code == 303
    assert status_of(app, code) == "refused"


def test_asking_for_more_information_needs_a_note(app, office, sent):
    code, _ = sent
    move(office, code, "more_info", "   ")
    assert status_of(app, code) == "received"


def test_impossible_moves_are_refused_with_a_clear_message(app, office, sent):
    code, _ = sent
    move(office, code, "refused", "Fuera de plazo.")
    refused = move(office, code, "ready")
    assert refused.status_code == 303 and status_of(app, code) == "refused"
    assert "no puede pasar a «Lista»" in office.get(refused.headers["Location"]).get_data(as_text=True)
    assert move(office, code, "borrado").status_code == 404


def test_impossible_move_is_explained_in_english(app, office, sent):
    code, _ = sent
    office.get(ENGLISH_PANEL)
    move(office, code, "closed")
    refused = move(office, code, "in_review")
    html = office.get(refused.headers["Location"]).get_data(as_text=True)
    assert "cannot move to «In review»" in html and "Ask for more information" not in html


def test_actions_need_the_csrf_token_and_a_login(app, office, sent):
    code, _ = sent
    assert office.post(f"/admin/solicitudes/{code}/estado/in_review").status_code == 400
    assert status_of(app, code) == "received"
    stranger = app.test_client()
    assert stranger.post(f"/admin/solicitudes/{code}/estado/in_review").status_code in (302, 303, 400)
    for path in (f"/admin/solicitudes/{code}/", f"/admin/solicitudes/{code}/imprimir", "/admin/solicitudes.csv"):
        assert stranger.get(path).status_code in (302, 303)
    assert office.get("/admin/solicitudes/NOPE-0000/").status_code == 404


def test_internal_notes_stay_in_the_office(app, office, sent):
    code, pin = sent
    page = f"/admin/solicitudes/{code}/"
    assert post_form(office, page, f"{page}nota", **{"note-nota": "<b>Llamar</b> al registro"}).status_code == 303
    html = request_page(office, code)
    assert "&lt;b&gt;Llamar&lt;/b&gt; al registro" in html
    citizen = app.test_client()
    citizen.post("/seguimiento/", data=dict(hidden_fields(citizen.get("/seguimiento/").get_data(as_text=True)),
                                            codigo=code, pin=pin))
    assert "Llamar" not in citizen.get(f"/seguimiento/solicitudes/{code}/").get_data(as_text=True)


def test_request_prints_on_one_sheet_without_the_panel(app, office, sent):
    code, _ = sent
    html = office.get(f"/admin/solicitudes/{code}/imprimir").get_data(as_text=True)
    assert code in html and "María Pérez" in html and "admin-bar" not in html and "<form" not in html.split("<main")[1]


def test_requests_csv_has_safe_cells_and_is_audited(app, office, sent):
    code, _ = sent
    from redpinar.store.requests import SHARDS
    with app.app_context():  # a question whose label would start a formula in the answers' cell
        SHARDS.modify(code, lambda document: document["questions"][0]["label"].update(es="=cmd|' /C calc'!A0"))
    response = office.get("/admin/solicitudes.csv?tramite=" + SLUG)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Código", "Trámite", "Estado"]
    row = next(row for row in rows if row[0] == code)
    assert row[-1].startswith("'=cmd") and "María Pérez" in row[-1]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    log = office.get("/admin/registro").get_data(as_text=True)
    assert "Exportó la lista de solicitudes en CSV." in log


def test_requests_csv_in_english_has_english_headings(app, office, sent):
    office.get(ENGLISH_PANEL)
    rows = list(csv.reader(io.StringIO(office.get("/admin/solicitudes.csv").get_data(as_text=True).lstrip("\ufeff")),
                           delimiter=";"))
    assert rows[0][:3] == ["Code", "Procedure", "Status"] and any(row[0] == sent[0] for row in rows)


def test_an_overlong_note_is_refused_without_a_500(app, office, sent):
    code, _ = sent
    response = move(office, code, "refused", "x" * 5000)
    assert response.status_code == 303 and status_of(app, code) == "received"
    page = f"/admin/solicitudes/{code}/"
    assert post_form(office, page, f"{page}nota", **{"note-nota": "y" * 6000}).status_code == 303


def test_an_overdue_request_is_flagged_in_the_inbox_and_on_its_page(app, office, sent):
    code, _ = sent
    from redpinar.store.requests import SHARDS
    with app.app_context():
        SHARDS.modify(code, lambda document: document.update(due="2020-01-01"))
    assert "atrasada" in office.get("/admin/mensajes/?clase=solicitudes").get_data(as_text=True)
    assert "atrasada" in request_page(office, code)


def test_status_changes_read_as_sentences_in_the_activity_log(app, office, sent):
    code, _ = sent
    move(office, code, "more_info", "Falta el contrato.")
    assert f"Cambió el estado de la solicitud {code} a «Necesitamos más información»." in \
        office.get("/admin/registro").get_data(as_text=True)
    office.get(ENGLISH_PANEL)
    assert f"Changed the status of the request {code} to «More information needed»." in \
        office.get("/admin/registro").get_data(as_text=True)
