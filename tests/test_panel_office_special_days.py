"""Special days of an office: closed days and days with other hours or fewer places."""
from redpinar.store import offices as office_store
from tests.office_helpers import (add_special_day, created, error_messages, stored_offices, webmaster,  # noqa: F401
                                  webmaster_in_english)
from tests.participation_helpers import post_form


def test_webmaster_adds_special_days_kept_in_date_order(app, webmaster):
    page = created(webmaster)
    assert add_special_day(webmaster, page, fecha="2026-12-31", inicio_1="08:00", fin_1="10:00",
                           puestos="1", nota_es="Fin de año", nota_en="New Year's Eve").status_code == 303
    assert add_special_day(webmaster, page, fecha="2026-12-25", cerrado="y", nota_es="Feriado").status_code == 303
    assert add_special_day(webmaster, page, fecha="2027-01-04", puestos="2").status_code == 303
    [office] = stored_offices(app)
    assert office["exceptions"] == [
        {"date": "2026-12-25", "closed": True, "note": {"es": "Feriado", "en": ""}},
        {"date": "2026-12-31", "hours": [["08:00", "10:00"]], "places": 1,
         "note": {"es": "Fin de año", "en": "New Year's Eve"}},
        {"date": "2027-01-04", "places": 2, "note": {"es": "", "en": ""}},
    ]
    html = webmaster.get(page).get_data(as_text=True)
    assert "Fin de año" in html and "de 08:00 a 10:00" in html and "viernes, 25 de diciembre de 2026" in html


SPECIAL_DAY_REFUSED = [
    ({"fecha": "2026-02-30", "cerrado": "y"}, "Escriba una fecha que exista: día, mes y año.",
     "Write a date that exists: day, month and year."),
    ({"fecha": "mañana", "cerrado": "y"}, "Escriba una fecha que exista: día, mes y año.",
     "Write a date that exists: day, month and year."),
    ({"fecha": "2026-12-25", "cerrado": "y"}, "Ya hay un día distinto el 2026-12-25: quítelo primero si quiere cambiarlo.",
     "There is already a special day on 2026-12-25: remove it first if you want to change it."),
    ({"fecha": "2026-12-26"}, "Marque «Cerrado ese día», o escriba otro horario o menos puestos.",
     "Tick “Closed that day”, or write other hours or fewer desks."),
    ({"fecha": "2026-12-26", "inicio_1": "10:00", "fin_1": "09:00"},
     "El 2026-12-26, periodo 1: la hora de inicio debe ser anterior a la de fin.",
     "On 2026-12-26, period 1: the start time must be before the end time."),
    ({"fecha": "2026-12-26", "inicio_1": "08:00", "fin_1": "10:00", "inicio_2": "09:00", "fin_2": "11:00"},
     "El 2026-12-26: los periodos se solapan; cada uno debe empezar cuando acabe el anterior o después.",
     "On 2026-12-26: the periods overlap; each must start when the one before ends, or later."),
    ({"fecha": "2026-12-26", "puestos": "0"}, "Los puestos de ese día van de 1 a 50.", "Desks that day go from 1 to 50."),
    ({"fecha": "2026-12-26", "cerrado": "y", "nota_es": "n" * 201}, "La nota tiene como máximo 200 caracteres.",
     "The note has 200 characters at most."),
]


def test_each_refused_special_day_says_why_in_the_webmasters_language(app, webmaster, webmaster_in_english):
    page = created(webmaster)
    assert add_special_day(webmaster, page, fecha="2026-12-25", cerrado="y").status_code == 303
    for fields, spanish, in_english in SPECIAL_DAY_REFUSED:
        response = add_special_day(webmaster, page, **fields)
        assert response.status_code == 400 and spanish in error_messages(response), (fields, error_messages(response))
        assert f'value="{fields["fecha"]}"' in response.get_data(as_text=True)  # the answers are kept
        response = add_special_day(webmaster_in_english, page, **fields)
        assert response.status_code == 400 and in_english in error_messages(response), (fields, error_messages(response))
    assert len(stored_offices(app)[0]["exceptions"]) == 1


def test_removing_a_special_day_asks_first_then_removes_it(app, webmaster):
    page = created(webmaster)
    add_special_day(webmaster, page, fecha="2026-12-25", cerrado="y")
    remove = page + "excepciones/2026-12-25/quitar"
    assert f'href="{remove}"' in webmaster.get(page).get_data(as_text=True)
    question = webmaster.get(remove)
    assert question.status_code == 200 and "¿Quitar el día distinto del viernes, 25 de diciembre de 2026?" in \
        question.get_data(as_text=True)
    assert len(stored_offices(app)[0]["exceptions"]) == 1  # asking removed nothing
    response = post_form(webmaster, remove, remove)
    assert response.status_code == 303 and response.headers["Location"].startswith(page)
    assert stored_offices(app)[0]["exceptions"] == []
    assert webmaster.get(remove).status_code == 404


def test_at_most_366_special_days(app, webmaster):
    page = created(webmaster)
    with app.app_context():
        office = office_store.get_office(page.split("/")[-2])
        office["exceptions"] = [{"date": day, "closed": True, "note": {"es": "", "en": ""}} for day in _days(366)]
        office_store.save_office(office)
    response = add_special_day(webmaster, page, fecha="2030-01-01", cerrado="y")
    assert response.status_code == 400
    assert "Como máximo 366 días distintos: quite primero los que ya pasaron." in error_messages(response)


def _days(count):
    from datetime import date, timedelta
    return [(date(2027, 1, 1) + timedelta(days=number)).isoformat() for number in range(count)]
