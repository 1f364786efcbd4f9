"""The webmaster builds a procedure's online request form in the panel: questions in order, a working copy,
versions that never change once published."""
from html import escape

import pytest

from redpinar.store import form_drafts
from redpinar.store.request_forms import form_version, form_versions, latest_form
from tests.form_builder_helpers import (EVERY_TYPE, add_question, added, builder, edit_question, errors_shown,
                                        procedure_id, publish)
from tests.participation_helpers import hidden_fields, log_in, post_form
from tests.test_pages import page_text

SLUG = "pasaporte-ordinario"  # the example province ships no form for it
TITLE = "Pasaporte corriente (ordinario)"


@pytest.fixture
def webmaster(app, client):
    """A logged-in webmaster's browser."""
    log_in(app, client)
    return client


@pytest.fixture
def page(app):
    """The form builder of the building licence."""
    return builder(app, SLUG)


def versions(app):
    with app.app_context():
        return form_versions(SLUG)


def test_form_pages_send_strangers_to_the_login(app, client, page):
    for path in (page, page + "/vista-previa", page + "/versiones/1"):
        assert "/admin/login" in client.get(path).headers["Location"]
    for action in ("/nueva", "/publicar", "/descartar"):
        response = client.post(page + action, data={"tipo": "short_text", "texto_es": "Nombre"})
        assert response.status_code == 400 or "/admin/login" in response.headers["Location"]
    assert versions(app) == []


def test_every_change_needs_the_form_token(app, webmaster, page):
    assert webmaster.post(page + "/nueva", data={"tipo": "short_text", "texto_es": "Nombre"}).status_code == 400
    key = added(webmaster, page, tipo="short_text", texto_es="Nombre")
    for action in ("/publicar", "/descartar", f"/preguntas/{key}/quitar"):
        assert webmaster.post(page + action).status_code == 400
    assert webmaster.post(f"{page}/preguntas/{key}/mover", data={"direccion": "bajar"}).status_code == 400
    assert webmaster.post(f"{page}/preguntas/{key}", data={"texto_es": "Otro"}).status_code == 400
    assert versions(app) == [] and "Nombre" in page_text(webmaster.get(page))


def test_webmaster_builds_a_form_with_every_question_type_and_publishes_it(app, webmaster, page):
    keys = [added(webmaster, page, **question) for question in EVERY_TYPE]
    assert versions(app) == [], "nothing is published before «Publicar»"
    assert publish(webmaster, page).status_code == 303
    with app.app_context():
        form = latest_form(SLUG)
    assert form["version"] == 1 and form["author"] == "webmaster"
    assert [question["type"] for question in form["questions"]] == [question["tipo"] for question in EVERY_TYPE]
    assert [question["key"] for question in form["questions"]] == keys and len(set(keys)) == len(keys)
    by_type = {question["type"]: question for question in form["questions"]}
    assert by_type["short_text"]["label"] == {"es": "Nombre completo", "en": "Full name"}
    assert by_type["short_text"]["required"] is True and by_type["long_text"]["required"] is False
    assert by_type["long_text"]["hint"] == {"es": "Explique en pocas líneas.", "en": ""}
    assert by_type["choice"]["options"] == [{"es": "Soltero", "en": "Single"}, {"es": "Casado", "en": "Married"},
                                            {"es": "Viudo", "en": "Widowed"}]
    assert by_type["choices"]["options"] == [{"es": "Agua", "en": "Water"}, {"es": "Luz", "en": ""}]
    assert by_type["file"]["max_mb"] == 3
    assert "options" not in by_type["short_text"] and "max_mb" not in by_type["choice"]
    shown = page_text(webmaster.get(page))
    assert "Versión publicada: 1." in shown and "Versión 1" in shown and "webmaster" in shown


def test_publishing_again_never_changes_an_earlier_version(app, webmaster, page):
    name = added(webmaster, page, tipo="short_text", texto_es="Nombre", obligatoria="y")
    added(webmaster, page, tipo="choice", texto_es="Estado civil", opciones="Soltero\nCasado")
    publish(webmaster, page)
    with app.app_context():
        first = form_version(SLUG, 1)
    assert edit_question(webmaster, page, name, texto_es="Nombre y apellidos", texto_en="Full name",
                         obligatoria=None).status_code == 303
    assert "Hay cambios sin publicar" in page_text(webmaster.get(page))
    assert publish(webmaster, page).status_code == 303
    with app.app_context():
        assert form_version(SLUG, 1) == first, "version 1 is as it was published"
        second = form_version(SLUG, 2)
    assert second["questions"][0] == dict(first["questions"][0], label={"es": "Nombre y apellidos", "en": "Full name"},
                                          required=False), "the question keeps its key and type"
    assert second["questions"][1] == first["questions"][1]
    old = page_text(webmaster.get(page + "/versiones/1"))
    assert "Versión 1 del formulario" in old and "Nombre" in old and "Nombre y apellidos" not in old
    posts = webmaster.get(page + "/versiones/1").get_data(as_text=True).count('method="post"')
    assert posts == 1, "a version is read-only: the only form is the panel's «Salir»"
    assert webmaster.get(page + "/versiones/3").status_code == 404


def test_publishing_without_changes_is_refused_and_says_why(app, webmaster, page):
    response = publish(webmaster, page)
    assert response.status_code == 303
    assert "No hay nada que publicar" in page_text(webmaster.get(response.headers["Location"]))
    added(webmaster, page, tipo="short_text", texto_es="Nombre")
    publish(webmaster, page)
    publish(webmaster, page)
    assert [form["version"] for form in versions(app)] == [1]


def test_questions_move_up_and_down_and_keep_their_keys(app, webmaster, page):
    first, second, third = (added(webmaster, page, tipo="short_text", texto_es=label)
                            for label in ("Nombre", "Apellidos", "Teléfono de contacto"))
    move = f"{page}/preguntas/{third}/mover"
    assert post_form(webmaster, page, move, direccion="subir").status_code == 303
    post_form(webmaster, page, f"{page}/preguntas/{first}/mover", direccion="subir")  # already first: stays
    publish(webmaster, page)
    with app.app_context():
        assert [question["key"] for question in latest_form(SLUG)["questions"]] == [first, third, second]
    assert post_form(webmaster, page, move, direccion="arriba").status_code == 400
    assert post_form(webmaster, page, f"{page}/preguntas/no_existe/mover", direccion="bajar").status_code == 404


def test_removing_a_question_asks_first_and_published_versions_keep_it(app, webmaster, page):
    name = added(webmaster, page, tipo="short_text", texto_es="Nombre")
    phone = added(webmaster, page, tipo="phone", texto_es="Teléfono")
    publish(webmaster, page)
    remove = f"{page}/preguntas/{phone}/quitar"
    asked = webmaster.get(remove)
    assert asked.status_code == 200 and "¿Quitar la pregunta «Teléfono»?" in page_text(asked)
    assert post_form(webmaster, remove, remove).status_code == 303
    assert webmaster.get(remove).status_code == 404
    publish(webmaster, page)
    with app.app_context():
        assert [question["key"] for question in form_version(SLUG, 1)["questions"]] == [name, phone]
        assert [question["key"] for question in form_version(SLUG, 2)["questions"]] == [name]
    again = added(webmaster, page, tipo="short_text", texto_es="Teléfono")
    assert again != phone, "a new question never takes the key an earlier version gave another"


def test_discarding_changes_returns_to_the_published_form(app, webmaster, page):
    added(webmaster, page, tipo="short_text", texto_es="Nombre")
    publish(webmaster, page)
    added(webmaster, page, tipo="email", texto_es="Correo del solicitante")
    assert post_form(webmaster, page, page + "/descartar").status_code == 303
    shown = page_text(webmaster.get(page))
    assert "Correo del solicitante" not in shown and "Nombre" in shown and "Hay cambios sin publicar" not in shown


def test_the_preview_shows_the_questions_as_the_citizen_sees_them(app, webmaster, page):
    for question in EVERY_TYPE:
        added(webmaster, page, **question)
    preview = webmaster.get(page + "/vista-previa")
    text = page_text(preview)
    assert preview.status_code == 200 and "Estado civil" in text and "Casado" in text and "Dirección de la obra" in text
    assert "PDF, JPEG o PNG, de 3 MB como mucho." in text
    english = page_text(webmaster.get(page + "/vista-previa?lang=en"))
    assert "Marital status" in english and "Married" in english and "of at most 3 MB" in english


FIELDS = {"tipo": "short_text", "texto_es": "Nombre"}
REFUSED = [
    ({"texto_es": ""}, "Escriba la pregunta en español.", "Write the question in Spanish."),
    ({"texto_es": "   "}, "Escriba la pregunta en español.", "Write the question in Spanish."),
    ({"texto_es": "x" * 501}, "Escriba como mucho 500 caracteres.", "Write at most 500 characters."),
    ({"ayuda_en": "x" * 1001}, "Escriba como mucho 1000 caracteres.", "Write at most 1000 characters."),
    ({"tipo": "formulario"}, "Elija una de las opciones de la lista.", "Choose one of the options in the list."),
    ({"tipo": ""}, "Elija el tipo de pregunta.", "Choose the type of question."),
    ({"tipo": "choice", "opciones": "Solo una"}, "Escriba entre 2 y 30 opciones, una por línea.",
     "Write between 2 and 30 options, one per line."),
    ({"tipo": "choices", "opciones": "\n".join(f"Opción {number}" for number in range(31))},
     "Escriba entre 2 y 30 opciones, una por línea.", "Write between 2 and 30 options, one per line."),
    ({"tipo": "choice", "opciones": "Casado\n | Single"}, "Cada opción necesita su texto en español, antes de la barra «|».",
     "Each option needs its Spanish text, before the bar “|”."),
    ({"tipo": "choice", "opciones": "Casado\ncasado | married"}, "La opción «casado» está repetida.",
     "The option “casado” is there twice."),
    ({"tipo": "choice", "opciones": "Sí\n" + "x" * 201}, "Cada opción puede tener como mucho 200 caracteres por idioma.",
     "Each option may have at most 200 characters per language."),
    ({"tipo": "file", "tamano": ""}, "Escriba el tamaño máximo del archivo, en MB.", "Enter the largest file size, in MB."),
    ({"tipo": "file", "tamano": "9"}, "Escriba un tamaño entre 1 y 8 MB: el portal no recibe envíos mayores.",
     "Enter a size between 1 and 8 MB: the portal takes nothing larger."),
    ({"tipo": "file", "tamano": "0"}, "Escriba un tamaño entre 1 y 8 MB: el portal no recibe envíos mayores.",
     "Enter a size between 1 and 8 MB: the portal takes nothing larger."),
    ({"tipo": "file", "tamano": "dos"}, "Escriba un número entero, sin letras ni decimales.",
     "Write a whole number, without letters or decimals."),
]


def test_a_refused_question_says_why_in_the_panels_language_and_keeps_what_was_typed(app, webmaster, page):
    for language in ("es", "en"):
        webmaster.get(f"{page}?lang={language}")  # the panel remembers the language chosen
        for changes, spanish, english in REFUSED:
            response = add_question(webmaster, page, **dict(FIELDS, **changes))
            html = response.get_data(as_text=True)
            assert response.status_code == 400, changes
            assert errors_shown(response) == [spanish if language == "es" else english], changes
            assert "error-summary" in html and hidden_fields(html).get("csrf_token"), "the form can be sent again"
            for typed in (changes.get("opciones") or "").splitlines()[:1] + [FIELDS["texto_es"]] * ("texto_es" not in changes):
                assert escape(typed) in html, f"{typed!r} is kept"
    assert versions(app) == [] and "El formulario no tiene preguntas todavía" in page_text(webmaster.get(page + "?lang=es"))


@pytest.mark.parametrize("language", ["es", "en"])
def test_an_edit_is_checked_like_a_new_question(app, webmaster, page, language):
    key = added(webmaster, page, tipo="choice", texto_es="Estado civil", opciones="Soltero\nCasado")
    webmaster.get(f"{page}?lang={language}")
    response = edit_question(webmaster, page, key, texto_es="", opciones="Soltero")
    assert response.status_code == 400
    assert errors_shown(response) == (["Escriba la pregunta en español.", "Escriba entre 2 y 30 opciones, una por línea."]
                                      if language == "es" else
                                      ["Write the question in Spanish.", "Write between 2 and 30 options, one per line."])


def test_a_form_holds_at_most_sixty_questions(app, webmaster, page):
    added(webmaster, page, tipo="short_text", texto_es="Pregunta 1")
    with app.app_context():  # the other 59 straight through the store: sixty page loads prove nothing more
        for number in range(2, 61):
            form_drafts.add_question(SLUG, {"type": "short_text", "label": {"es": f"Pregunta {number}", "en": ""},
                                            "hint": {"es": "", "en": ""}, "required": False}, "webmaster")
    response = add_question(webmaster, page, tipo="short_text", texto_es="Una más")
    assert response.status_code == 400
    assert errors_shown(response) == ["El formulario ya tiene 60 preguntas, el máximo: quite alguna antes de añadir otra."]
    webmaster.get(page + "?lang=en")
    assert errors_shown(add_question(webmaster, page, tipo="short_text", texto_es="Una más")) == [
        "The form already has 60 questions, the most it may have: remove one before adding another."]


def test_hostile_text_is_shown_as_text_everywhere(app, webmaster, page):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    key = added(webmaster, page, tipo="choice", texto_es=hostile, texto_en=hostile, ayuda_es=hostile,
                opciones=f"{hostile} | {hostile}\nB\u0000ien | Fine")
    publish(webmaster, page)
    for path in (page, page + "/vista-previa", page + "/versiones/1", f"{page}/preguntas/{key}",
                 f"{page}/preguntas/{key}/quitar", "/admin/registro"):
        html = webmaster.get(path).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html, path
        assert "&lt;script&gt;" in html, path
    with app.app_context():
        assert latest_form(SLUG)["questions"][0]["options"][1] == {"es": "Bien", "en": "Fine"}
    for path in (f"{page}/preguntas/..%2F..%2Fsite", f"{page}/preguntas/<x>", "/admin/tramites/no-existe/formulario",
                 page + "/versiones/99999999999999999999"):
        assert webmaster.get(path).status_code == 404, path


def test_a_procedure_in_the_trash_has_no_form_builder(app, webmaster, page):
    editor = f"/admin/contenido/procedures/{procedure_id(app, SLUG)}/"
    assert post_form(webmaster, editor, editor + "papelera").status_code == 303
    assert webmaster.get(page).status_code == 404


def test_the_activity_log_tells_what_was_done_to_the_form(app, webmaster, page):
    key = added(webmaster, page, tipo="short_text", texto_es="Nombre")
    edit_question(webmaster, page, key, texto_es="Nombre completo")
    added(webmaster, page, tipo="phone", texto_es="Teléfono")
    post_form(webmaster, page, f"{page}/preguntas/{key}/mover", direccion="bajar")
    post_form(webmaster, f"{page}/preguntas/{key}/quitar", f"{page}/preguntas/{key}/quitar")
    publish(webmaster, page)
    added(webmaster, page, tipo="email", texto_es="Correo")
    post_form(webmaster, page, page + "/descartar")
    log = page_text(webmaster.get("/admin/registro"))
    procedure = f"del trámite «{TITLE}»"
    for sentence in (f"Añadió la pregunta «Nombre» al formulario en línea {procedure}.",
                     f"Editó la pregunta «Nombre completo» del formulario en línea {procedure}.",
                     f"Cambió de lugar la pregunta «Nombre completo» del formulario en línea {procedure}.",
                     f"Quitó la pregunta «Nombre completo» del formulario en línea {procedure}.",
                     f"Publicó la versión 1 del formulario en línea {procedure}.",
                     f"Descartó los cambios sin publicar del formulario en línea {procedure}."):
        assert sentence in log, sentence
    english = page_text(webmaster.get("/admin/registro?lang=en"))
    assert f"Published version 1 of the online form of the procedure “{TITLE}”." in english
