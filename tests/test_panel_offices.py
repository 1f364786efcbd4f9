"""The webmaster sets up offices that take appointments: the office form, its weekly schedule, its special days."""
import json
import os
import re

import pytest

from redpinar.store import content
from redpinar.store import offices as office_store
from redpinar.store.office_rules import InvalidOffice
from tests.editor_helpers import editor_fields
from tests.test_content_consistency import settings_saved
from tests.office_helpers import (DOCUMENT_KEYS, NEW, OFFICE, add_special_day, created, error_messages,  # noqa: F401
                                  post_office, stored_offices, webmaster, webmaster_in_english)
from tests.participation_helpers import hidden_fields, post_form

def test_webmaster_creates_an_office_stored_as_the_store_documents_it(app, webmaster):
    page = created(webmaster)
    assert page == "/admin/oficinas/oficina-de-identificacion-de-pinar-del-rio/"
    [office] = stored_offices(app)
    assert set(office) == DOCUMENT_KEYS
    assert office["id"] == office["slug"] == "oficina-de-identificacion-de-pinar-del-rio"
    assert office["name"] == {"es": "Oficina de Identificación de Pinar del Río", "en": "Pinar del Río ID office"}
    assert (office["entity"], office["municipality"], office["address"]) == (
        "oficina-identificacion", "pinar-del-rio", "Calle Martí 120")
    assert office["bring"] == {"es": "", "en": ""}
    assert office["procedures"] == ["carne-identidad", "cambio-domicilio"]
    assert (office["slot_minutes"], office["places"]) == (15, 3)
    # ISO weekdays as keys, closed days left out, a short hour written with two digits.
    assert office["weekly"] == {"1": [["08:00", "12:00"], ["13:00", "16:00"]], "3": [["08:30", "11:30"]]}
    assert office["exceptions"] == []
    assert (office["book_from_days"], office["book_until_days"], office["cutoff_hours"]) == (1, 30, 12)
    assert office["active"] is True and office["schema"] == 1
    with app.app_context():
        assert office_store.get_office(office["slug"])["weekly"] == office["weekly"]


def test_office_list_shows_name_municipality_procedures_and_whether_it_books(app, webmaster):
    page = created(webmaster)
    created(webmaster, nombre_es="Registro Civil de Viñales", municipio="vinales", tramites=["cambio-domicilio"],
            activa=None)
    html = webmaster.get("/admin/oficinas/").get_data(as_text=True)
    assert f'href="{page}"' in html and "Oficina de Identificación de Pinar del Río" in html
    assert "Registro Civil de Viñales" in html and "Viñales" in html
    rows = re.findall(r"<tr>.*?</tr>", html, re.S)
    viñales = next(row for row in rows if "Registro Civil de Viñales" in row)
    assert ">No<" in viñales and "domicilio" in viñales
    assert 'href="/admin/oficinas/nueva"' in html


def test_panel_menu_links_to_the_offices(webmaster):
    assert 'href="/admin/oficinas/"' in webmaster.get("/admin/mensajes/").get_data(as_text=True)


def test_editing_keeps_the_address_and_the_special_days(app, webmaster):
    page = created(webmaster)
    assert add_special_day(webmaster, page, fecha="2026-12-25", cerrado="y").status_code == 303
    response = post_office(webmaster, page, nombre_es="Oficina de Carné de Pinar", puestos="5", d1_2_inicio="",
                           d1_2_fin="", tramites=["carne-identidad"])
    assert response.status_code == 303 and response.headers["Location"] == page
    [office] = stored_offices(app)
    assert office["slug"] == "oficina-de-identificacion-de-pinar-del-rio"  # stable on rename
    assert office["name"]["es"] == "Oficina de Carné de Pinar" and office["places"] == 5
    assert office["weekly"]["1"] == [["08:00", "12:00"]]  # a removed period is simply gone
    assert office["procedures"] == ["carne-identidad"]
    assert [day["date"] for day in office["exceptions"]] == ["2026-12-25"]
    html = webmaster.get(page).get_data(as_text=True)
    assert 'value="Oficina de Carné de Pinar"' in html and 'value="5"' in html


def test_two_offices_with_one_name_get_two_addresses(webmaster):
    first, second = created(webmaster), created(webmaster)
    assert first != second and second.endswith("-2/")


def test_a_name_without_letters_still_gets_an_address(webmaster):
    assert created(webmaster, nombre_es="¡¡¡ ??? !!!") == "/admin/oficinas/oficina/"


# (changed fields, Spanish message, English message)
REFUSED = [
    ({"nombre_es": "  "}, "Escriba el nombre de la oficina en español.", "Write the name of the office in Spanish."),
    ({"nombre_es": "N" * 121}, "El nombre tiene como máximo 120 caracteres.", "The name has 120 characters at most."),
    ({"direccion": ""}, "Escriba la dirección de la oficina.", "Write the address of the office."),
    ({"traer_es": "x" * 2001}, "«Qué traer» tiene como máximo 2000 caracteres.",
     "“What to bring” has 2000 characters at most."),
    ({"municipio": "atlantida"}, "Elija uno de los municipios de la provincia.",
     "Choose one of the province's municipalities."),
    ({"entidad": "ministerio-de-la-magia"}, "La entidad «ministerio-de-la-magia» no existe.",
     "The entity “ministerio-de-la-magia” does not exist."),
    ({"tramites": None}, "Elija al menos un trámite.", "Choose at least one procedure."),
    ({"tramites": ["carne-identidad", "pasaporte-a-marte"]}, "El trámite «pasaporte-a-marte» no existe.",
     "The procedure “pasaporte-a-marte” does not exist."),
    ({"duracion": "4"}, "Cada cita dura de 5 a 240 minutos.", "Each appointment lasts 5 to 240 minutes."),
    ({"duracion": "241"}, "Cada cita dura de 5 a 240 minutos.", "Each appointment lasts 5 to 240 minutes."),
    ({"duracion": "quince"}, "Escriba un número entero, sin letras ni decimales.",
     "Write a whole number, without letters or decimals."),
    ({"puestos": "0"}, "Los puestos por turno van de 1 a 50.", "Desks per time go from 1 to 50."),
    ({"puestos": "51"}, "Los puestos por turno van de 1 a 50.", "Desks per time go from 1 to 50."),
    ({"desde_dias": "-1"}, "Escriba un número de días del 0 al 366.", "Write a number of days from 0 to 366."),
    ({"hasta_dias": "367"}, "Escriba un número de días del 0 al 366.", "Write a number of days from 0 to 366."),
    ({"desde_dias": "10", "hasta_dias": "9"}, "El último día que se puede reservar no puede ser anterior al primero.",
     "The last day that can be booked cannot come before the first."),
    ({"corte_horas": "721"}, "Escriba un número de horas del 0 al 720.", "Write a number of hours from 0 to 720."),
    ({"d2_1_inicio": "8h", "d2_1_fin": "12:00"}, "Martes, periodo 1: escriba las horas como HH:MM, por ejemplo 08:30.",
     "Tuesday, period 1: write the times as HH:MM, for example 08:30."),
    ({"d2_2_inicio": "25:00", "d2_2_fin": "26:00"},
     "Martes, periodo 1: escriba las horas como HH:MM, por ejemplo 08:30.",
     "Tuesday, period 1: write the times as HH:MM, for example 08:30."),
    ({"d4_1_inicio": "09:00"}, "Jueves, periodo 1: escriba las horas como HH:MM, por ejemplo 08:30.",
     "Thursday, period 1: write the times as HH:MM, for example 08:30."),
    ({"d5_1_inicio": "12:00", "d5_1_fin": "08:00"},
     "Viernes, periodo 1: la hora de inicio debe ser anterior a la de fin.",
     "Friday, period 1: the start time must be before the end time."),
    ({"d1_2_inicio": "11:00"}, "Lunes: los periodos se solapan; cada uno debe empezar cuando acabe el anterior o después.",
     "Monday: the periods overlap; each must start when the one before ends, or later."),
    ({"d7_1_inicio": "08:00", "d7_1_fin": "08:10"}, "Domingo, periodo 1: dura menos que una cita (15 minutos).",
     "Sunday, period 1: it is shorter than one appointment (15 minutes)."),
]


def test_each_refusal_says_why_in_the_webmasters_language_and_keeps_the_answers(app, webmaster, webmaster_in_english):
    # One app for every case: a fresh data folder per case would cost seconds each.
    for changes, spanish, in_english in REFUSED:
        response = post_office(webmaster, NEW, **changes)
        assert response.status_code == 400, changes
        assert spanish in error_messages(response), (changes, error_messages(response))
        page = response.get_data(as_text=True)
        assert 'value="Calle Martí 120"' in page or changes.get("direccion") == "", changes  # the answers are kept
        assert 'value="16:00"' in page and 'class="error-summary"' in page, changes
        response = post_office(webmaster_in_english, NEW, **changes)
        assert response.status_code == 400, changes
        assert in_english in error_messages(response), (changes, error_messages(response))
    assert not os.path.exists(os.path.join(app.config["DATA_DIR"], "appointments", "offices.json")) or \
        stored_offices(app) == []


def test_every_problem_shows_at_once(webmaster):
    response = post_office(webmaster, NEW, nombre_es="", duracion="1000", puestos="x", tramites=None,
                           d1_2_inicio="10:00")
    messages = error_messages(response)
    assert "Escriba el nombre de la oficina en español." in messages
    assert "Cada cita dura de 5 a 240 minutos." in messages
    assert "Escriba un número entero, sin letras ni decimales." in messages
    assert "Elija al menos un trámite." in messages
    assert any(message.startswith("Lunes: los periodos se solapan") for message in messages)


def test_touching_periods_are_accepted_and_kept_in_time_order(app, webmaster):
    created(webmaster, d1_1_inicio="13:00", d1_1_fin="16:00", d1_2_inicio="08:00", d1_2_fin="13:00")
    assert stored_offices(app)[0]["weekly"]["1"] == [["08:00", "13:00"], ["13:00", "16:00"]]


def test_a_shorter_slot_than_a_special_days_hours_is_refused_on_edit(app, webmaster):
    page = created(webmaster)
    assert add_special_day(webmaster, page, fecha="2026-12-24", inicio_1="08:00", fin_1="08:30").status_code == 303
    response = post_office(webmaster, page, duracion="60")
    assert response.status_code == 400
    assert any("dura menos que una cita (60 minutos)" in message for message in error_messages(response))
    assert stored_offices(app)[0]["slot_minutes"] == 15


def test_the_store_refuses_more_than_14_periods_a_week(app):
    office = {"name": {"es": "Oficina", "en": ""}, "municipality": "pinar-del-rio", "address": "Calle 1",
              "procedures": ["carne-identidad"],
              "weekly": {str(day): [["08:00", "09:00"], ["10:00", "11:00"], ["12:00", "13:00"]] for day in range(1, 8)}}
    with app.app_context(), pytest.raises(InvalidOffice) as refusal:
        office_store.create_office(office)
    assert any("more than 14 periods" in problem for problem in refusal.value.problems)


def test_store_functions_write_one_change_each(app):
    with app.app_context():
        office = office_store.create_office({
            "name": {"es": "Oficina de Guane", "en": ""}, "municipality": "guane", "address": "Calle Real 3",
            "procedures": ["carne-identidad"], "weekly": {"2": [["08:00", "12:00"]]}})
        assert office["slug"] == "oficina-de-guane" and office["active"] is True
        assert office_store.set_office_active("oficina-de-guane", False)["active"] is False
        office_store.add_exception("oficina-de-guane", {"date": "2027-05-01", "closed": True})
        assert office_store.get_office("oficina-de-guane")["exceptions"] == [{"date": "2027-05-01", "closed": True}]
        office_store.remove_exception("oficina-de-guane", "2027-05-01")
        before, after = office_store.update_office("oficina-de-guane", {"places": 4, "slug": "otra"})
        assert (before["places"], after["places"], after["slug"]) == (1, 4, "oficina-de-guane")
        with pytest.raises(office_store.NotFound):
            office_store.remove_exception("oficina-de-guane", "2027-05-01")


def test_each_change_is_in_the_activity_log(webmaster):
    page = created(webmaster)
    post_office(webmaster, page, nombre_es="Oficina de Carné")
    add_special_day(webmaster, page, fecha="2026-12-25", cerrado="y")
    remove = page + "excepciones/2026-12-25/quitar"
    post_form(webmaster, remove, remove)
    log = webmaster.get("/admin/registro").get_data(as_text=True)
    assert "Creó la oficina de citas «Oficina de Identificación de Pinar del Río»." in log
    assert "Editó la oficina de citas «Oficina de Carné»." in log
    assert "Añadió a la oficina de citas «Oficina de Carné» un día distinto: el 25 de diciembre de 2026." in log
    assert "Quitó de la oficina de citas «Oficina de Carné» el día distinto del 25 de diciembre de 2026." in log


def test_changes_without_the_form_token_are_refused(app, webmaster):
    page = created(webmaster)
    add_special_day(webmaster, page, fecha="2026-12-25", cerrado="y")
    assert webmaster.post(NEW, data=OFFICE).status_code == 400
    assert webmaster.post(page, data=dict(OFFICE, nombre_es="Cambiada")).status_code == 400
    assert webmaster.post(page + "excepciones", data={"excepcion-fecha": "2026-12-26",
                                                      "excepcion-cerrado": "y"}).status_code == 400
    assert webmaster.post(page + "excepciones/2026-12-25/quitar").status_code == 400
    [office] = stored_offices(app)
    assert office["name"]["es"] == OFFICE["nombre_es"] and [day["date"] for day in office["exceptions"]] == ["2026-12-25"]


def test_logged_out_visitors_cannot_see_or_change_offices(app, client, webmaster):
    page = created(webmaster)
    add_special_day(webmaster, page, fecha="2026-12-25", cerrado="y")
    remove = page + "excepciones/2026-12-25/quitar"
    for address in ("/admin/oficinas/", NEW, page, remove):
        response = client.get(address)
        assert response.status_code in (302, 303) and "/admin/login" in response.headers["Location"]
    for address in (NEW, page, page + "excepciones", remove):
        response = client.post(address, data=dict(OFFICE, **{"excepcion-fecha": "2026-12-26", "excepcion-cerrado": "y"}))
        assert response.status_code in (302, 303, 400) and response.status_code != 200
    [office] = stored_offices(app)
    assert office["name"]["es"] == OFFICE["nombre_es"] and len(office["exceptions"]) == 1
    assert len(stored_offices(app)) == 1


HOSTILE = '<script>alert("x")</script>"><img src=x onerror=alert(1)>'


def test_hostile_input_is_stored_safely_shown_escaped_and_never_a_500(app, webmaster):
    page = created(webmaster, nombre_es=HOSTILE, nombre_en=HOSTILE, direccion=HOSTILE, traer_es=HOSTILE)
    assert page == "/admin/oficinas/script-alert-x-script-img-src-x-onerror-alert-1/"
    add_special_day(webmaster, page, fecha="2026-12-25", cerrado="y", nota_es=HOSTILE)
    for address in ("/admin/oficinas/", page, page + "excepciones/2026-12-25/quitar", "/admin/registro"):
        html = webmaster.get(address).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html, address
        assert "&lt;script&gt;" in html, address
    assert stored_offices(app)[0]["name"]["es"] == HOSTILE
    strange = ["\x00", "../../etc/passwd", "9" * 40, "-0", "٣", "08:00:00", "%(day)s", "{{ 7*7 }}", "ñ" * 5000]
    office_form = hidden_fields(webmaster.get(page).get_data(as_text=True))
    for value in strange:
        for name in ("nombre_es", "entidad", "municipio", "duracion", "hasta_dias", "d1_1_inicio", "tramites"):
            response = webmaster.post(page, data=dict(office_form, **dict(OFFICE, **{name: value})))
            assert response.status_code in (303, 400), (name, value, response.status_code)
            assert "49" not in error_messages(response)
        for name in ("fecha", "inicio_1", "puestos", "nota_en"):
            response = webmaster.post(page + "excepciones", data=dict(office_form, **{
                "excepcion-fecha": "2026-12-26", f"excepcion-{name}": value}))
            assert response.status_code in (303, 400), (name, value, response.status_code)
    many = webmaster.post(page, data=dict(office_form, **dict(OFFICE, tramites=[f"t{number}" for number in range(1000)])))
    assert many.status_code == 400 and "Como máximo 200 trámites por oficina." in error_messages(many)
    assert sum("no existe" in message for message in error_messages(many)) == 5  # a few, not a thousand
    for address in ("/admin/oficinas/..%2f..%2fetc/", "/admin/oficinas/no-existe/",
                    page + "excepciones/2026-13-45/quitar", page + "excepciones/..%2f/quitar",
                    "/admin/oficinas/no-existe/excepciones/2026-12-25/quitar"):
        assert webmaster.get(address).status_code in (404, 308), address  # 308: the router tidies the path first
    assert webmaster.post("/admin/oficinas/no-existe/excepciones", data={}).status_code in (400, 404)


def test_a_renamed_procedure_stays_booked_at_its_offices(app, webmaster, runner):
    page = created(webmaster)
    with app.app_context():
        [procedure] = content.find_documents("procedures", slug="carne-identidad")
    procedure_page = f"/admin/contenido/procedures/{procedure['id']}/"
    fields = editor_fields(webmaster.get(procedure_page).get_data(as_text=True))
    assert fields["slug"] == "carne-identidad"
    assert webmaster.post(procedure_page, data=dict(fields, slug="carne-de-identidad",
                                                    accion="guardar")).status_code == 303
    assert stored_offices(app)[0]["procedures"][0] == "carne-identidad"  # the office still names the old slug
    result = runner.invoke(args=["check"])
    assert result.exit_code == 0, result.output
    html = webmaster.get(page).get_data(as_text=True)
    assert re.search(r'value="carne-de-identidad" checked', html)  # shown under its new slug
    assert post_office(webmaster, page, tramites=["carne-identidad", "cambio-domicilio"]).status_code == 303
    assert stored_offices(app)[0]["procedures"] == ["carne-de-identidad", "cambio-domicilio"]


def test_check_reports_an_office_that_is_wrong(app, webmaster, runner):
    created(webmaster)
    assert runner.invoke(args=["check"]).exit_code == 0
    path = os.path.join(app.config["DATA_DIR"], "appointments", "offices.json")
    with open(path, encoding="utf-8") as handle:
        tables = json.load(handle)
    number, office = next((number, office) for number, office in tables["_default"].items()
                          if office["slug"] == "oficina-de-identificacion-de-pinar-del-rio")
    office.update(slot_minutes=1000, procedures=["ya-no-existe"], weekly={"1": [["12:00", "08:00"]]})
    office["exceptions"] = [{"date": "2026-02-30", "closed": True}]
    del office["updated"]
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(tables, handle)
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1
    label = f"appointments/offices.json: document {number} (slug 'oficina-de-identificacion-de-pinar-del-rio')"
    assert f"{label}: 'slot_minutes' must be 5 to 240 minutes, found 1000" in result.output
    assert f"{label}: 'procedures' names procedure 'ya-no-existe', which does not exist" in result.output
    assert f"{label}: weekly Monday, period 1: starts at 12:00, not before its end 08:00" in result.output
    assert f"{label}: exception date '2026-02-30' is not a real YYYY-MM-DD date" in result.output
    assert f"appointments/offices.json: document {number} (id 'oficina-de-identificacion-de-pinar-del-rio'): 'updated'" \
        in result.output


def test_settings_refuse_removing_a_municipality_that_an_office_is_in(app, webmaster):
    shown = editor_fields(webmaster.get("/admin/ajustes").get_data(as_text=True))["municipios"]
    assert settings_saved(webmaster, municipios=shown + "\nla-coloma | La Coloma").status_code == 303
    page = created(webmaster, municipio="la-coloma")
    response = settings_saved(webmaster, municipios=shown)
    assert response.status_code == 400
    assert "No se puede quitar «La Coloma»" in response.get_data(as_text=True)
    assert f'<a href="{page}">{OFFICE["nombre_es"]}</a>' in response.get_data(as_text=True)
