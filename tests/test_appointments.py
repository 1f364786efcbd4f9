"""Appointments at offices: the citizen's journey, its checks, and what the store keeps."""
import json
import re


from redpinar.store import appointments as store
from tests.appointment_helpers import (OFFICE, PERSON, PROCEDURE, availability, book, booked_code, fill_in,
                                       free_times, make_office, places_left, receipt_pin)
from tests.language import english
from tests.participation_helpers import hidden_fields


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_citizen_books_a_time_and_gets_a_receipt_with_code_pin_and_what_to_bring(client):
    offices = text_of(client.get("/citas/"))
    assert "Oficina de Carné de Identidad de Pinar del Río" in offices and "Registro Civil de Consolación del Sur" in offices
    days = client.get(f"/citas/{OFFICE}/?tramite={PROCEDURE}").get_data(as_text=True)
    first_day = re.search(r"dia=(\d{4}-\d\d-\d\d)", days).group(1)
    times = client.get(f"/citas/{OFFICE}/?tramite={PROCEDURE}&dia={first_day}").get_data(as_text=True)
    hora = re.search(r"hora=(\d{4}-\d\d-\d\dT\d\d(?:%3A|:)\d\d)", times).group(1).replace("%3A", ":")
    before = places_left(client, hora)
    checked, _ = fill_in(client, hora=hora)
    assert "Revise su cita" in text_of(checked) and PERSON["carne"] in text_of(checked)
    code = booked_code(book(client, hora=hora))
    receipt = text_of(client.get(f"/citas/cita/{code}/"))
    assert code in receipt and re.search(r"PIN \d{6}", receipt)
    assert "Calle Antonio Rubio" in receipt and "Certificación de nacimiento" in receipt
    assert re.search(r"(lunes|martes|miércoles|jueves|viernes|sábado|domingo) \d{1,2} de \w+, \d{1,2}:\d\d", receipt)
    assert places_left(client, hora) == before - 1


def test_the_whole_journey_reads_in_english(client):
    assert "Book an appointment" in text_of(client.get(english("/citas/")))
    days = client.get(english(f"/citas/{OFFICE}/?tramite={PROCEDURE}")).get_data(as_text=True)
    assert "Days with free places" in text_of(client.get(english(f"/citas/{OFFICE}/?tramite={PROCEDURE}")))
    assert re.search(r"dia=\d{4}-\d\d-\d\d", days)
    hora = free_times(client)[0]
    page = client.get(english(f"/citas/{OFFICE}/reservar?tramite={PROCEDURE}&hora={hora}"))
    assert "Your details for the appointment" in text_of(page)
    data = dict(hidden_fields(page.get_data(as_text=True)), **PERSON, accion="revisar")
    checked = client.post(english(f"/citas/{OFFICE}/reservar?tramite={PROCEDURE}"), data=data)
    assert "Check your appointment" in text_of(checked)
    confirmed = client.post(english(f"/citas/{OFFICE}/reservar?tramite={PROCEDURE}"),
                            data=dict(hidden_fields(checked.get_data(as_text=True)), accion="confirmar"))
    code = booked_code(confirmed)
    receipt = text_of(client.get(english(f"/citas/cita/{code}/")))
    assert "Appointment booked" in receipt and "What to bring" in receipt
    assert re.search(r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} \w+, \d{1,2}:\d\d", receipt)


def test_the_receipt_names_the_offices_own_list_of_what_to_bring(client):
    code = booked_code(book(client, office="pasaportes-pinar-del-rio", procedure="pasaporte-ordinario"))
    assert "Carné de identidad, foto reciente" in text_of(client.get(f"/citas/cita/{code}/"))


INVALID = [
    ("nombre", "", "Escriba su nombre y apellidos."),
    ("nombre", "x" * 121, "entre 2 y 120 caracteres"),
    ("carne", "", "Escriba el número de su carné"),
    ("carne", "8501011234", "11 cifras"),
    ("carne", "85A10112345", "11 cifras"),
    ("carne", "85133112345", "fecha de nacimiento real"),
    ("carne", "85023012345", "fecha de nacimiento real"),
    ("telefono", "llámeme", "solo con números"),
    ("correo", "juana@", "correo válido"),
]


def test_every_field_is_checked_and_the_answers_come_back(client):
    for field, value, message in INVALID:
        response, _ = fill_in(client, **{field: value})
        assert response.status_code == 400, field
        assert message in text_of(response), (field, value)
        assert field == "nombre" or 'value="Juana Pérez Díaz"' in response.get_data(as_text=True)


def test_a_leap_day_birth_date_is_a_real_date(client):
    response, _ = fill_in(client, carne="00022912345")
    assert response.status_code == 200


HOSTILE = '<script>alert(1)</script>"\'><img src=x onerror=alert(2)>\x00\u202e'


def test_hostile_input_in_any_field_is_refused_or_kept_safely_never_a_500(app):
    for field in ("nombre", "carne", "telefono", "correo", "hora", "iniciado", "website", "csrf_token", "tramite"):
        client = app.test_client()
        checked, data = fill_in(client, hora=free_times(client)[0])
        confirm = dict(hidden_fields(checked.get_data(as_text=True)), accion="confirmar")
        confirm[field] = HOSTILE
        response = client.post(f"/citas/{OFFICE}/reservar?tramite={PROCEDURE}", data=confirm)
        assert response.status_code in (200, 303, 400, 409), field
        assert "<script>alert(1)" not in response.get_data(as_text=True)
        if response.status_code == 303:
            receipt = client.get(response.headers["Location"]).get_data(as_text=True)
            assert "<script>alert(1)" not in receipt and "onerror=alert(2)>" not in receipt


def test_a_hostile_name_is_stored_as_typed_and_shown_escaped(client):
    name = 'Ana <b onmouseover="x">"O\'Hara"</b>'
    code = booked_code(book(client, nombre=name))
    html = client.get(f"/citas/cita/{code}/").get_data(as_text=True)
    assert "Ana &lt;b onmouseover=" in html and "<b onmouseover" not in html


ODD_ADDRESSES = [
    "/citas/no-existe/", "/citas/..%2f..%2fsite/", "/citas/OFICINA/disponibilidad.json",
    f"/citas/{OFFICE}/?tramite=%3Cscript%3E&dia=2026-02-30", f"/citas/{OFFICE}/?tramite={PROCEDURE}&dia=nunca",
    f"/citas/{OFFICE}/reservar?tramite={PROCEDURE}&hora=2026-13-01T25:99",
    f"/citas/{OFFICE}/reservar?tramite=otro&hora=x", "/citas/cita/NOPE-NOPE/", "/citas/cita/%00/cita.ics",
    "/citas/?municipio=%3Cx%3E&tramite=%22", "/citas/cita/NOPE-NOPE/cambiar?dia=x",
]


def test_odd_addresses_answer_without_a_500(client):
    for path in ODD_ADDRESSES:
        response = client.get(path)
        assert response.status_code in (200, 303, 404), path
        assert "<script>" not in response.get_data(as_text=True)


def test_a_time_that_is_not_the_offices_is_refused(client):
    hora = free_times(client)[0][:11] + "08:07"
    page = client.get(f"/citas/{OFFICE}/reservar?tramite={PROCEDURE}&hora={hora}")
    data = dict(hidden_fields(page.get_data(as_text=True)), **PERSON, accion="revisar")
    checked = client.post(f"/citas/{OFFICE}/reservar?tramite={PROCEDURE}", data=data)
    response = client.post(f"/citas/{OFFICE}/reservar?tramite={PROCEDURE}",
                           data=dict(hidden_fields(checked.get_data(as_text=True)), accion="confirmar"))
    assert response.status_code == 409 and "Próximas horas libres" in text_of(response)


def test_one_person_cannot_hold_two_appointments_for_one_procedure_even_at_two_offices(app, client):
    make_office(app)
    booked_code(book(client))
    again = book(client, office="oficina-de-prueba")
    assert again.status_code == 409 and "Ya tiene una cita para este trámite" in text_of(again)
    # Another procedure, or another person, may book.
    booked_code(book(client, office="pasaportes-pinar-del-rio", procedure="pasaporte-ordinario"))
    booked_code(book(client, office="oficina-de-prueba", carne="90123112345"))


def test_after_cancelling_the_same_person_may_book_again(client):
    code = booked_code(book(client))
    client.post(f"/citas/cita/{code}/anular", data=hidden_fields(client.get(f"/citas/cita/{code}/anular").get_data(as_text=True)))
    booked_code(book(client))


def test_cancelling_frees_the_place_at_once(app, client):
    make_office(app, places=1)
    hora = free_times(client, "oficina-de-prueba")[0]
    code = booked_code(book(client, office="oficina-de-prueba", hora=hora))
    assert places_left(client, hora, "oficina-de-prueba") == 0
    page = client.get(f"/citas/cita/{code}/anular")
    assert "la plaza quedará libre" in text_of(page)
    assert client.post(f"/citas/cita/{code}/anular", data=hidden_fields(page.get_data(as_text=True))).status_code == 303
    assert places_left(client, hora, "oficina-de-prueba") == 1
    assert "Cita anulada" in text_of(client.get(f"/citas/cita/{code}/"))
    other = app.test_client()
    booked_code(book(other, office="oficina-de-prueba", hora=hora, carne="90123112345"))


def test_cancelling_needs_a_post_with_the_form_token(client):
    code = booked_code(book(client))
    assert client.get(f"/citas/cita/{code}/anular").status_code == 200
    assert client.post(f"/citas/cita/{code}/anular", data={}).status_code == 400
    assert "Cita anulada" not in text_of(client.get(f"/citas/cita/{code}/"))


def test_the_citizen_moves_the_appointment_to_another_free_time_even_in_another_month(app, client):
    make_office(app, places=1, book_until_days=45)
    times = free_times(client, "oficina-de-prueba")
    first, later = times[0], next(hora for hora in times if hora[:7] != times[0][:7])
    code = booked_code(book(client, office="oficina-de-prueba", hora=first))
    page = client.get(f"/citas/cita/{code}/cambiar?dia={later[:10]}")
    data = dict(hidden_fields(page.get_data(as_text=True)), hora=later)
    moved = client.post(f"/citas/cita/{code}/cambiar?dia={later[:10]}", data=data)
    assert moved.status_code == 303
    assert places_left(client, first, "oficina-de-prueba") == 1 and places_left(client, later, "oficina-de-prueba") == 0
    with app.app_context():
        copies = [path for path in store.all_month_paths() if code in open(path, encoding="utf-8").read()]
    assert len(copies) == 1 and later[:7] in copies[0]


def test_moving_to_a_full_time_is_refused_and_keeps_the_old_time(app, client):
    make_office(app, places=1)
    first, second = free_times(client, "oficina-de-prueba")[:2]
    booked_code(book(app.test_client(), office="oficina-de-prueba", hora=second, carne="90123112345"))
    code = booked_code(book(client, office="oficina-de-prueba", hora=first))
    page = client.get(f"/citas/cita/{code}/cambiar?dia={second[:10]}")
    response = client.post(f"/citas/cita/{code}/cambiar?dia={second[:10]}",
                           data=dict(hidden_fields(page.get_data(as_text=True)), hora=second))
    assert response.status_code == 409 and "ya no está libre" in text_of(response)
    assert places_left(client, first, "oficina-de-prueba") == 0


def test_code_and_pin_open_the_appointment_from_the_tracking_page(app, client):
    code = booked_code(book(client))
    pin = receipt_pin(client, code)
    stranger = app.test_client()
    assert stranger.get(f"/citas/cita/{code}/").status_code == 404
    form = hidden_fields(stranger.get("/seguimiento/").get_data(as_text=True))
    wrong = stranger.post("/seguimiento/", data=dict(form, codigo=code, pin="000000" if pin != "000000" else "111111"))
    assert wrong.status_code == 400
    opened = stranger.post("/seguimiento/", data=dict(form, codigo=code.lower(), pin=pin))
    assert opened.status_code == 303 and opened.headers["Location"].endswith(f"/citas/cita/{code}/")
    page = text_of(stranger.get(f"/citas/cita/{code}/"))
    assert code in page and "Anular la cita" in page and pin not in page


def test_the_calendar_file_holds_the_time_in_utc_and_the_office(client):
    code = booked_code(book(client))
    response = client.get(f"/citas/cita/{code}/cita.ics")
    body = response.get_data(as_text=True)
    assert response.headers["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in body and f"UID:{code}@" in body and "Calle Antonio Rubio" in body
    assert re.search(r"DTSTART:\d{8}T\d{6}Z\r\n", body)


def test_the_availability_file_has_start_places_and_places_left_and_no_personal_data(client):
    code = booked_code(book(client))
    data = availability(client)
    assert data["slots"] and set(data["slots"][0]) == {"start", "places", "places_left"}
    text = json.dumps(data)
    assert code not in text and PERSON["nombre"] not in text and PERSON["carne"] not in text
    assert "/citas/carne-identidad-pinar-del-rio/disponibilidad.json" in client.get("/datos/").get_data(as_text=True)


def test_the_example_province_has_a_fully_booked_day_and_free_times_in_the_next_two_weeks(client):
    slots = availability(client, "registro-civil-consolacion-del-sur")["slots"]
    by_day = {}
    for slot in slots:
        by_day.setdefault(slot["start"][:10], []).append(slot["places_left"])
    assert any(not any(left) for left in by_day.values())
    for office in ("carne-identidad-pinar-del-rio", "pasaportes-pinar-del-rio", "registro-civil-consolacion-del-sur"):
        assert len({hora[:10] for hora in free_times(client, office)}) >= 8


def test_procedure_pages_offer_an_appointment_where_an_office_books_them(client):
    assert "Pedir cita en Oficina de Carné de Identidad" in text_of(client.get("/tramites/carne-identidad/"))
    assert "Pedir cita" not in text_of(client.get("/tramites/licencia-construccion/"))


def test_purge_examples_removes_the_example_appointments_only(app, client, runner):
    code = booked_code(book(client))
    result = runner.invoke(args=["purge", "--examples"])
    assert "example appointment(s)" in result.output
    slots = availability(client, "registro-civil-consolacion-del-sur")["slots"]
    assert all(slot["places_left"] == slot["places"] for slot in slots)
    assert client.get(f"/citas/cita/{code}/").status_code == 200


def test_the_store_gives_the_office_its_day_the_marks_the_figures_and_what_a_new_schedule_drops(app, client):
    from redpinar.store.appointment_upkeep import appointments_not_fitting, month_figures
    from redpinar.store.offices import get_office, save_office
    from redpinar.store.slots import parse_day
    office = make_office(app, places=2)
    hora = free_times(client, "oficina-de-prueba")[0]
    codes = [booked_code(book(app.test_client(), office="oficina-de-prueba", hora=hora, carne=card))
             for card in ("90010100001", "90010100002")]
    day = parse_day(hora[:10])
    with app.app_context():
        assert [a["id"] for a in store.appointments_on("oficina-de-prueba", day)] == codes
        store.set_outcome(codes[0], "attended")
        store.set_outcome(codes[1], "not_attended")
        figures = month_figures(get_office("oficina-de-prueba"), hora[:7])
        assert figures["booked"] == 2 and figures["attended"] == 1 and figures["not_attended"] == 1
        assert figures["offered"] > 0
        assert appointments_not_fitting(get_office("oficina-de-prueba")) == []
        save_office(dict(office, places=1))
        assert [a["id"] for a in appointments_not_fitting(get_office("oficina-de-prueba"))] == codes[1:]
        save_office(dict(office, exceptions=[{"date": hora[:10], "closed": True}]))
        assert [a["id"] for a in appointments_not_fitting(get_office("oficina-de-prueba"))] == codes
        store.cancel(codes[1], by="webmaster")
        assert [a["id"] for a in appointments_not_fitting(get_office("oficina-de-prueba"))] == codes[:1]


def test_purge_clears_the_personal_data_of_appointments_past_the_retention_period(app, client, runner):
    from datetime import date, timedelta
    from redpinar.store.appointment_upkeep import anonymise_appointments_before
    code = booked_code(book(client))
    assert "appointment(s) on days before" in runner.invoke(args=["purge"]).output
    assert PERSON["nombre"] in text_of(client.get(f"/citas/cita/{code}/"))
    with app.app_context():
        # As if the retention period had passed since the appointment's day.
        assert anonymise_appointments_before((date.today() + timedelta(days=60)).isoformat()) >= 1
        kept = store.get_appointment(code)
    assert kept["name"] == kept["id_card"] == kept["phone"] == kept["email"] == "" and kept["anonymised"]
    assert PERSON["nombre"] not in text_of(client.get(f"/citas/cita/{code}/"))


def test_a_lost_code_index_is_rebuilt_from_the_month_files(app, client):
    import shutil
    code = booked_code(book(client))
    with app.app_context():
        shutil.rmtree(f"{app.config['DATA_DIR']}/appointments/_codes")
        assert store.find_appointment(code) is None
        assert store.rebuild_code_index() >= 1
        assert store.get_appointment(code)["id"] == code


def test_flask_check_reads_the_appointment_files_and_finds_them_valid(app, client, runner):
    booked_code(book(client))
    result = runner.invoke(args=["check"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        path = store.month_path(OFFICE, free_times(client)[0][:7])
    with open(path, "w", encoding="utf-8") as handle:
        handle.write('{"_default": {"1": {"id": "X"}}}')
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1 and "carne-identidad-pinar-del-rio" in result.output


def test_the_page_of_free_times_changes_at_once_after_a_booking_and_a_cancellation(app, client):
    make_office(app, places=1)
    hora = free_times(client, "oficina-de-prueba")[0]
    page = f"/citas/oficina-de-prueba/?tramite={PROCEDURE}&dia={hora[:10]}"
    link = f">{hora[11:]}</a>"
    assert link in client.get(page).get_data(as_text=True)
    code = booked_code(book(app.test_client(), office="oficina-de-prueba", hora=hora, carne="90010100009"))
    assert link not in client.get(page).get_data(as_text=True)
    with app.app_context():
        store.cancel(code)
    assert link in client.get(page).get_data(as_text=True)


def test_the_wait_until_the_first_free_time_counts_days_from_today(app, client):
    from redpinar.store.availability import days_until_first_free
    from redpinar.store.offices import get_office
    office = make_office(app, places=1, book_from_days=3)
    with app.app_context():
        assert days_until_first_free(get_office("oficina-de-prueba")) == 3
        make_office(app, **dict(office, weekly={}))
        assert days_until_first_free(get_office("oficina-de-prueba")) is None


def test_the_guards_of_participation_protect_the_booking_too(data_dir):
    from tests.conftest import make_app
    app = make_app(data_dir, FORM_MIN_SECONDS=60)
    client = app.test_client()
    hora = free_times(client)[0]
    too_fast = book(client, hora=hora)
    assert too_fast.status_code == 400 and "Revise sus datos y confirme de nuevo" in text_of(too_fast)
    assert PERSON["nombre"] in too_fast.get_data(as_text=True)
    app.config["FORM_MIN_SECONDS"] = 0
    before = places_left(client, hora)
    checked, _ = fill_in(client, hora=hora)
    bot = client.post(f"/citas/{OFFICE}/reservar?tramite={PROCEDURE}", data=dict(
        hidden_fields(checked.get_data(as_text=True)), accion="confirmar", website="http://spam.example"))
    assert bot.status_code == 200 and "Cita reservada" in text_of(bot)
    assert places_left(client, hora) == before
    with app.app_context():
        assert not any(PERSON["nombre"] == a.get("name") for path in store.all_month_paths()
                       for a in json.load(open(path, encoding="utf-8")).get("_default", {}).values())
    app.config["RATE_LIMITS"] = True
    for number in range(5):
        booked_code(book(app.test_client(), hora=hora if number < 2 else None, carne=f"9001010000{number}"))
    refused = book(app.test_client(), carne="90010100009")
    assert refused.status_code == 429 and "varias citas desde su conexión" in text_of(refused)
