"""A procedure's card says how many days it takes to resolve, and takes online requests only with a published form."""
import pytest

from redpinar.store import content
from redpinar.store.demo import load_demo
from redpinar.store.request_forms import QUESTION_TYPES, form_slug, latest_form, question_problems
from tests.form_builder_helpers import added, builder, errors_shown, publish
from tests.language import english
from tests.participation_helpers import log_in, post_form
from tests.test_pages import page_text

NEW = "/admin/contenido/procedures/nuevo"
FISHING = {"title_es": "Licencia de pesca", "summary_es": "Para pescar en la costa.", "accion": "guardar",
           "time_to_resolve": "Hasta 20 días hábiles, según la temporada."}
NO_FORM = ("Para que se pueda solicitar en línea, este trámite necesita un formulario publicado: guarde la ficha sin "
           "esta casilla, cree el formulario desde «Formulario en línea» y publíquelo.")
NO_FORM_EN = ("To take online requests, this procedure needs a published form: save the card without this box ticked, "
              "build the form from “Online form” and publish it.")


@pytest.fixture
def webmaster(app, client):
    """A logged-in webmaster's browser."""
    log_in(app, client)
    return client


def stored(app, slug="licencia-de-pesca"):
    with app.app_context():
        return next(document for document in content.all_documents("procedures") if document.get("slug") == slug)


def create(webmaster, **changes):
    response = post_form(webmaster, NEW, NEW, **dict(FISHING, **changes))
    assert response.status_code == 303, errors_shown(response)
    return response.headers["Location"]


@pytest.mark.parametrize("language, message", [("es", "Escriba un número entero de días, entre 1 y 366."),
                                               ("en", "Enter a whole number of days, between 1 and 366.")])
@pytest.mark.parametrize("days", ["0", "367", "tres", "-3", "1e3", "2.5", "٣", "99999999999999999999"])
def test_days_to_resolve_is_a_whole_number_of_days_within_a_year(webmaster, language, message, days):
    webmaster.get(f"{NEW}?lang={language}")
    response = post_form(webmaster, NEW, NEW, **dict(FISHING, resolve_days=days))
    assert response.status_code == 400
    assert errors_shown(response) == [message]
    assert f'value="{days}"' in response.get_data(as_text=True), "what was typed is kept"


def test_the_card_shows_the_days_to_resolve_with_the_old_text_as_a_note(app, webmaster, client):
    editor = create(webmaster, resolve_days=" 45 ")
    assert stored(app)["resolve_days"] == 45
    assert 'value="45"' in webmaster.get(editor).get_data(as_text=True), "the editor shows the stored number"
    card = page_text(client.get("/tramites/licencia-de-pesca/"))
    assert "Plazo de respuesta 45 días Hasta 20 días hábiles, según la temporada." in card
    assert "Time to resolve 45 days" in page_text(client.get(english("/tramites/licencia-de-pesca/")))
    post_form(webmaster, editor, editor, **dict(FISHING, resolve_days="1"))
    assert "Plazo de respuesta 1 día Hasta" in page_text(app.test_client().get("/tramites/licencia-de-pesca/"))


def test_without_days_the_card_shows_the_text_alone(app, webmaster, client):
    create(webmaster)
    assert stored(app)["resolve_days"] is None
    card = page_text(client.get("/tramites/licencia-de-pesca/"))
    assert "Plazo de respuesta Hasta 20 días hábiles, según la temporada." in card and " días Hasta" not in card


def test_the_example_procedures_have_their_days_to_resolve(client):
    assert "Plazo de respuesta 30 días Hasta 30 días hábiles desde que la solicitud" in page_text(
        client.get("/tramites/licencia-construccion/"))
    assert "Plazo de respuesta 7 días" in page_text(client.get("/tramites/licencia-trabajo-cuenta-propia/"))
    birth = page_text(client.get("/tramites/inscripcion-nacimiento/"))
    assert "Plazo de respuesta En el momento" in birth, "a text without a number of days stays as it was"


@pytest.mark.parametrize("language, message", [("es", NO_FORM), ("en", NO_FORM_EN)])
def test_online_requests_need_a_published_form(app, webmaster, language, message):
    webmaster.get(f"{NEW}?lang={language}")
    refused = post_form(webmaster, NEW, NEW, **dict(FISHING, online="y"))
    assert refused.status_code == 400 and errors_shown(refused) == [message]
    editor = create(webmaster)
    builder = f"/admin/tramites/{stored(app)['id']}/formulario"
    assert builder in webmaster.get(editor).get_data(as_text=True), "the card's editor links to its form"
    added(webmaster, builder, tipo="short_text", texto_es="Embarcación")
    refused = post_form(webmaster, editor, editor, **dict(FISHING, online="y"))
    assert refused.status_code == 400, "a working copy is not a published form"
    publish(webmaster, builder)
    assert post_form(webmaster, editor, editor, **dict(FISHING, online="y")).status_code == 303
    assert stored(app)["online"] is True


def test_a_renamed_procedure_keeps_its_form_and_its_online_requests(app, webmaster):
    editor = create(webmaster)
    builder = f"/admin/tramites/{stored(app)['id']}/formulario"
    added(webmaster, builder, tipo="short_text", texto_es="Embarcación")
    publish(webmaster, builder)
    assert post_form(webmaster, editor, editor, **dict(FISHING, online="y", slug="pesca-deportiva")).status_code == 303
    renamed = stored(app, "pesca-deportiva")
    with app.app_context():
        assert form_slug(renamed) == "licencia-de-pesca"
        assert latest_form(form_slug(renamed))["questions"][0]["label"]["es"] == "Embarcación"
    added(webmaster, builder, tipo="email", texto_es="Correo del patrón")
    publish(webmaster, builder)
    with app.app_context():
        assert latest_form(form_slug(renamed))["version"] == 2
    assert "Versión publicada: 2." in page_text(webmaster.get(builder))


EXAMPLE_FORMS = ("licencia-construccion", "antecedentes-penales", "permiso-actividad-espacio-publico")


def test_the_example_province_ships_online_forms_that_the_panel_opens(app, webmaster):
    with app.app_context():
        forms = [latest_form(slug) for slug in EXAMPLE_FORMS]
        assert all(question_problems(form["questions"]) == [] for form in forms)
        assert {question["type"] for form in forms for question in form["questions"]} == set(QUESTION_TYPES)
        assert all(stored(app, slug)["online"] is True for slug in EXAMPLE_FORMS)
        load_demo()  # loading the example again publishes nothing new
        assert [latest_form(slug)["version"] for slug in EXAMPLE_FORMS] == [1, 1, 1]
    shown = page_text(webmaster.get(builder(app, "antecedentes-penales")))
    assert "Versión publicada: 1." in shown and "¿Para qué la necesita?" in shown and "ejemplo" in shown


def test_a_form_with_broken_questions_is_named_for_what_is_wrong(app):
    with app.app_context():
        assert question_problems([{"key": "Nombre", "type": "texto", "label": {"es": ""}},
                                  {"key": "estado", "type": "choice", "label": {"es": "Estado"}, "options": [{"es": "A"}]},
                                  {"key": "foto", "type": "file", "label": {"es": "Foto"}, "max_mb": "5"}]) == [
            "question 1: the key 'Nombre' is not [a-z0-9_]{1,40} or is used twice",
            "question 1: unknown type 'texto'", "question 1: no Spanish label",
            "question 2: a choice needs 2 to 30 options, each with Spanish text",
            "question 3: a file question needs 'max_mb', a whole number of MB, 1 or more"]
