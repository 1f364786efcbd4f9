"""Whatever a client sends (odd numbers, bodies that are not forms) gets an answer, never a 500."""
import pytest

from redpinar.store import catalogue
from redpinar.store.submissions import iter_submissions
from tests.language import english
from tests.participation_helpers import hidden_fields, log_in, sent_code, submit_message

# Every query parameter any page reads, with the values that once made pages fail.
QUERY_PARAMETERS = ("pagina", "mes", "q", "tipo", "tema", "entidad", "municipio", "categoria", "lang", "v",
                    "next", "quien", "accion", "estado", "desde", "hasta", "atrasados", "tramite", "dia", "hora")
NUMERIC_PARAMETERS = ("pagina", "mes", "desde", "hasta")
ODD_VALUES = ("99999999999999999999", "-1", "1e9", "9999-99", "0000-00", "nan", "x" * 2000, "\x00", "１２")
# Bodies that are not the forms the portal sends.
ODD_BODIES = (
    {"data": '{"asunto": {"a": [1, 2]}, "mensaje": null}', "content_type": "application/json"},
    {"data": "[" * 5000 + "]" * 5000, "content_type": "application/json"},
    {"data": "a[b][c]=1&asunto[x]=2&mensaje[][]=3", "content_type": "application/x-www-form-urlencoded"},
    {"data": "&".join(["tipo=queja"] * 150 + ["mensaje=x"] * 150),
     "content_type": "application/x-www-form-urlencoded"},
    {"data": "--limite--\r\n", "content_type": "multipart/form-data; boundary=limite"},
    {"data": "", "content_type": "multipart/form-data"},
    {"data": "--limite\r\nbroken", "content_type": "multipart/form-data; boundary=limite"},
    {"data": b"\xff\xfe\x00asunto=\xff", "content_type": "application/x-www-form-urlencoded"},
    {"data": "<xml/>", "content_type": "text/xml"},
)


def demo_values(app, client):
    """Valid values for each URL parameter of the app's routes (a message is sent for a real code)."""
    code = sent_code(submit_message(client))
    with app.app_context():
        news = catalogue.documents("news")[0]
        page = catalogue.documents("pages")[0]
        assert any(submission["id"] == code for submission in iter_submissions())
    return {
        "slug": page["slug"], "topic_slug": page["topic"], "code": code, "collection": "news",
        "document_id": news["id"], "action": "papelera", "revision_id": "no-existe",
        "name": "meses", "extension": "csv", "filename": "css/site.css", "username": "webmaster",
        "media_id": "no-existe", "day": "2026-12-25", "file_id": "no-existe", "office_slug": "carne-identidad-pinar-del-rio",
        "procedure_id": catalogue_procedure_id(app), "key": "nombre", "version": "1", "status": "in_review",
    }


def catalogue_procedure_id(app):
    """The id of a procedure the example province ships an online form for."""
    with app.app_context():
        return catalogue.optional("procedures", "licencia-construccion")["id"]


def addresses(app, values, junk=False):
    """(rule, methods, path) of every route, its parameters filled with demo values or junk."""
    found = []
    for rule in app.url_map.iter_rules():
        filled = {name: ("x" * 300 if junk else values[name]) for name in rule.arguments}
        if rule.endpoint == "public.page" and not junk:
            filled["slug"] = values["slug"]
        with app.test_request_context():
            path = app.url_for(rule.endpoint, **filled) if not junk else rule.build(filled)[1]
        # Fingerprinted static addresses carry ?v=: the sweep sends its own query strings.
        found.append((rule, rule.methods - {"HEAD", "OPTIONS"}, path.split("?")[0]))
    return found


def csrf_header(client):
    """A valid form token of this client's session, sent as a header so odd bodies pass the CSRF check."""
    return {"X-CSRFToken": hidden_fields(client.get("/participa/").get_data(as_text=True))["csrf_token"]}


def assert_no_server_error(client, method, path, headers, **options):
    response = client.open(path, method=method, headers=headers, **options)
    assert response.status_code < 500, (method, path, options.get("query_string"),
                                        response.get_data(as_text=True)[:300])


def sweep(app, client, values):
    """Odd numbers to every GET route, odd bodies to every POST route; junk in the URL too."""
    headers = csrf_header(client)
    for junk in (False, True):
        for rule, methods, path in addresses(app, values, junk):
            if "GET" in methods:
                assert_no_server_error(client, "GET", path, headers)
                for value in () if junk else ODD_VALUES:
                    assert_no_server_error(client, "GET", path, headers,
                                           query_string={name: value for name in QUERY_PARAMETERS})
                    for name in NUMERIC_PARAMETERS:
                        assert_no_server_error(client, "GET", path, headers, query_string={name: value})
            if "POST" in methods and rule.endpoint != "admin.logout":
                for body in ODD_BODIES:
                    assert_no_server_error(client, "POST", path, headers, **body)


def test_odd_numbers_and_bodies_never_get_a_server_error_from_a_visitor(app):
    client = app.test_client()
    sweep(app, client, demo_values(app, client))


def test_odd_numbers_and_bodies_never_get_a_server_error_from_the_webmaster(app):
    client = app.test_client()
    values = demo_values(app, client)
    log_in(app, client)
    sweep(app, client, values)


@pytest.mark.parametrize("pagina", ["99999999999999999999", "-1", "1e9", "0"])
def test_search_with_a_page_number_out_of_range_shows_a_page(client, pagina):
    response = client.get("/buscar", query_string={"q": "carnet", "pagina": pagina})
    assert response.status_code == 200


def test_a_body_that_is_not_a_form_is_refused_with_a_clear_message(client):
    headers = csrf_header(client)
    response = client.post("/participa/", data='{"asunto": "hola"}', content_type="application/json",
                           headers=headers)
    assert response.status_code == 400
    assert "no es un formulario de este portal" in response.get_data(as_text=True)
    response = client.post(english("/participa/"), data="<a/>", content_type="text/xml", headers=headers)
    assert response.status_code == 400
    assert "is not a form of this portal" in response.get_data(as_text=True)
