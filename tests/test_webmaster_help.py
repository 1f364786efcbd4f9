"""What the portal tells the people who run it, and only them, in their language: the start-up line, the
login page's way back in, and the settings' and editor's refusals in the panel's language."""
import pytest

from redpinar.store.users import create_admin
from tests.conftest import make_app
from tests.participation_helpers import PASSWORD, hidden_fields, log_in, post_form, sent_code, submit_message
from tests.test_pages import page_text
from tests.test_panel_settings import _form_values
from tests.test_server import start_server, stop, wait_until_serving

CREATE_ADMIN = "flask --app app create-admin USERNAME"


@pytest.fixture
def webmaster(app, client):
    """A logged-in webmaster's browser."""
    log_in(app, client)
    return client


@pytest.mark.slow
def test_start_up_says_how_to_create_the_webmaster_only_while_there_is_none(data_dir):
    process, port = start_server(data_dir)
    try:
        wait_until_serving(process, port)
    finally:
        first_start, _errors = stop(process)
    assert CREATE_ADMIN in first_start

    with make_app(data_dir, province=None).app_context():
        create_admin("webmaster", PASSWORD)
    process, port = start_server(data_dir)
    try:
        wait_until_serving(process, port)
    finally:
        later_start, _errors = stop(process)
    assert f"serving on http://127.0.0.1:{port}/" in later_start
    assert "create-admin" not in later_start


@pytest.mark.parametrize("language, words", [
    ("es", ["¿Olvidó su contraseña?", "flask --app app create-admin USUARIO"]),
    ("en", ["Forgotten your password?", "flask --app app create-admin USERNAME"]),
])
def test_login_page_says_how_to_reset_a_forgotten_password_on_the_server(client, language, words):
    text = page_text(client.get(f"/admin/login?lang={language}"))
    for word in words:
        assert word in text


def _settings_with(webmaster, language="es", **changes):
    form = webmaster.get(f"/admin/ajustes?lang={language}").get_data(as_text=True)
    return webmaster.post(f"/admin/ajustes?lang={language}",
                          data={**hidden_fields(form), **_form_values(form), **changes})


def test_settings_refuse_a_low_contrast_colour_in_the_panels_language(webmaster):
    colours = "\n".join(line for line in _form_values(webmaster.get("/admin/ajustes").get_data(as_text=True))[
        "colores"].splitlines() if not line.startswith("muted_text"))
    refused = _settings_with(webmaster, colores=colours + "\nmuted_text = #bbbbbb")
    assert refused.status_code == 400
    text = page_text(refused)
    assert "El color «muted_text» (#bbbbbb) sobre «background» (#ffffff) tiene un contraste de 1,92 a 1" in text
    assert "have contrast" not in text and "below the" not in text
    english = page_text(_settings_with(webmaster, "en", colores=colours + "\nmuted_text = #bbbbbb"))
    assert "The colour “muted_text” (#bbbbbb) on “background” (#ffffff) has a contrast of 1.92 to 1" in english


def test_settings_refuse_a_colour_written_wrong_and_a_repeated_municipality_in_spanish(webmaster):
    form = _form_values(webmaster.get("/admin/ajustes").get_data(as_text=True))
    colours = "\n".join(line if not line.startswith("accent") else "accent = amarillo"
                        for line in form["colores"].splitlines())
    refused = _settings_with(webmaster, colores=colours, municipios=form["municipios"] + "\nguane | Guane otra vez")
    assert refused.status_code == 400
    text = page_text(refused)
    assert "«amarillo» no es un color: escríbalo como #rrggbb, por ejemplo #0a4f8c." in text
    assert "El municipio «guane» aparece dos veces." in text
    assert "must be written" not in text and "appears twice" not in text


def test_settings_refuse_words_in_number_fields_in_the_panels_language(webmaster):
    refused = _settings_with(webmaster, dias_respuesta="diez", smtp_puerto="veinticinco")
    assert refused.status_code == 400
    text = page_text(refused)
    assert text.count("Escriba un número entero, sin letras ni decimales.") >= 2
    assert "Not a valid integer value" not in text


def test_editor_refuses_a_date_it_cannot_read_in_the_panels_language(webmaster):
    page = "/admin/contenido/notices/nuevo"
    refused = post_form(webmaster, page, page, title_es="Corte de agua", valid_from="mañana",
                        valid_until="2026-13-40", publish_at="pronto", accion="guardar")
    assert refused.status_code == 400
    text = page_text(refused)
    assert text.count("Escriba una fecha válida: día, mes y año.") >= 2
    assert "Escriba una fecha y una hora válidas: día, mes, año, hora y minutos." in text
    assert "Not a valid" not in text
    english = page_text(post_form(webmaster, page + "?lang=en", page + "?lang=en", title_es="Corte de agua",
                                  valid_from="mañana", accion="guardar"))
    assert "Write a valid date: day, month and year." in english


def test_an_extension_of_words_is_refused_in_spanish(app, webmaster):
    code = sent_code(submit_message(app.test_client()))
    refused = post_form(webmaster, f"/admin/mensajes/{code}/", f"/admin/mensajes/{code}/prorrogar",
                        **{"extend-dias": "treinta", "extend-motivo": "Falta un informe"})
    text = page_text(webmaster.get(refused.headers["Location"]))
    assert "Escriba un número entero, sin letras ni decimales." in text and "Not a valid" not in text
