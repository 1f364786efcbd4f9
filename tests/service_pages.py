"""Pages of the services (appointments, online requests) and their panel pages, for the Nu HTML checker."""
import io
import re

from tests.appointment_helpers import EXAMPLE_SHEET, example_day_of
from tests.language import english
from tests.participation_helpers import hidden_fields, log_in, post_form
from tests.public_content import LANGUAGES


def page_html(response, status, what):
    """The HTML of a response, once it is the page expected."""
    assert response.status_code == status, f"{what} answered {response.status_code}, expected {status}"
    assert response.mimetype == "text/html", what
    return response.get_data()


def codes_shown(response):
    """The code and PIN a receipt or a saved draft shows."""
    return re.findall(r'<dd class="code">([^<]+)</dd>', response.get_data(as_text=True))


def office_pages(app, language):
    """The panel's pages of offices that take appointments, with an office and a special day to show."""
    webmaster = app.test_client()
    webmaster.get(f"/?lang={language}")
    log_in(app, webmaster)
    new = "/admin/oficinas/nueva"
    pages = {"office-new": page_html(webmaster.get(new), 200, "a new office")}
    procedures = re.findall(r'name="tramites" id="[^"]+" value="([^"]+)"', pages["office-new"].decode())[:2]
    pages["office-new-with-errors"] = page_html(post_form(webmaster, new, new, d1_1_inicio="9", d1_1_fin="8:00"), 400,
                                                "an office refused")
    created = post_form(webmaster, new, new, nombre_es=f"Oficina de Identificación ({language})", municipio="vinales",
                        direccion="Calle Real 5", tramites=procedures, duracion="15", puestos="2", desde_dias="1",
                        hasta_dias="30", corte_horas="12", activa="y", d1_1_inicio="08:00", d1_1_fin="12:00")
    assert created.status_code == 303, "the office is saved"
    office = created.headers["Location"]
    assert post_form(webmaster, office, office + "excepciones", **{
        "excepcion-fecha": "2026-12-31", "excepcion-inicio_1": "08:00", "excepcion-fin_1": "10:00",
        "excepcion-puestos": "1", "excepcion-nota_es": "Fin de año"}).status_code == 303
    pages["offices"] = page_html(webmaster.get("/admin/oficinas/"), 200, "the offices")
    pages["office"] = page_html(webmaster.get(office), 200, "an office with a special day")
    pages["office-special-day-with-errors"] = page_html(post_form(webmaster, office, office + "excepciones"), 400,
                                                        "a special day refused")
    pages["office-special-day-remove"] = page_html(webmaster.get(office + "excepciones/2026-12-31/quitar"), 200,
                                                   "removing a special day, asked first")
    def read(path):
        return webmaster.get(path).get_data(as_text=True)
    busy = example_day_of(read, "Ana Pérez (ejemplo)")
    pages["office-day-sheet"] = page_html(webmaster.get(f"{EXAMPLE_SHEET}?dia={busy}"), 200, "a busy day sheet")
    pages["office-day-sheet-refused-day"] = page_html(webmaster.get(EXAMPLE_SHEET + "?dia=nada"), 400,
                                                      "a day sheet of no date")
    example_office = "/admin/oficinas/carne-identidad-pinar-del-rio/"
    if language == LANGUAGES[0]:  # the day stays closed for the other languages
        assert post_form(webmaster, example_office, example_office + "excepciones", **{
            "excepcion-fecha": example_day_of(read, "Rosa Díaz (ejemplo)"), "excepcion-cerrado": "y"}).status_code == 303
    pages["office-appointments-to-settle"] = page_html(webmaster.get(example_office), 200,
                                                       "an office with appointments that no longer fit")
    assert b'id="no-caben"' in pages["office-appointments-to-settle"], "the list of appointments to settle is there"
    return {f"panel-{name}-{language}": html for name, html in pages.items()}
def request_pages(app, language):
    """Every page of an online request as the citizen reaches them in a language: {file name: HTML}."""
    from redpinar.store import content
    from redpinar.store.requests import set_status
    from tests.request_helpers import confirm, minimal_pdf, post_request_form
    from tests.test_requests import INVALID, VALID, every_type_form
    slug = "licencia-de-construccion"
    with app.app_context():
        procedure = content.find_documents("procedures", slug=slug)[0]
        content.update_document("procedures", procedure["id"], {"online": True, "resolve_days": 20})
    every_type_form(app, slug)
    citizen, other_device = app.test_client(), app.test_client()
    in_english = language == "en"
    files = {"plano": (minimal_pdf(), "plano.pdf")}
    pages = {
        "card": page_html(citizen.get(english(f"/tramites/{slug}/") if in_english else f"/tramites/{slug}/"), 200, "the card"),
        "form": page_html(citizen.get(english(f"/tramites/{slug}/solicitar") if in_english else f"/tramites/{slug}/solicitar"),
                          200, "the request form"),
        "form-with-errors": page_html(post_request_form(citizen, slug, files, in_english=in_english, **INVALID), 400,
                                      "the request form with errors"),
    }
    checked = post_request_form(citizen, slug, files, in_english=in_english, **VALID)
    pages["check"] = page_html(checked, 200, "the check page")
    code = confirm(citizen, checked.get_data(as_text=True), slug).headers["Location"].rstrip("/").split("/")[-1]
    pages["receipt"] = page_html(citizen.get(f"/tramites/solicitud/recibo/{code}/"), 200, "the receipt")
    pages["receipt-print"] = page_html(citizen.get(f"/tramites/solicitud/recibo/{code}/imprimir"), 200, "the print receipt")
    saved = post_request_form(citizen, slug, files, in_english=in_english, accion="borrador", **INVALID)
    draft = citizen.get(saved.headers["Location"])
    pages["draft-saved"] = page_html(draft, 200, "a saved request draft")
    draft_code, draft_pin = codes_shown(draft)
    resume = f"/tramites/{slug}/solicitar/borrador"
    pages["resume-draft"] = page_html(other_device.get(resume), 200, "the request draft form")
    pages["draft-resumed"] = page_html(post_form(other_device, resume, resume, codigo=draft_code, pin=draft_pin), 200,
                                       "a resumed request draft")
    with app.app_context():
        set_status(code, "more_info", "webmaster", "Falta el plano firmado.")
    pages["more-info"] = page_html(citizen.get(f"/seguimiento/solicitudes/{code}/"), 200, "a request asking for more")
    with app.app_context():
        set_status(code, "refused", "webmaster", "La obra no cumple el plan de ordenamiento.")
    pages["refused"] = page_html(citizen.get(f"/seguimiento/solicitudes/{code}/"), 200, "a refused request")
    return {f"request-{name}-{language}": html for name, html in pages.items()}
def appointment_pages(app, language):
    """Every page of booking, following, moving and cancelling an appointment in a language: {file name: HTML}."""
    from tests.appointment_helpers import book, booked_code, fill_in, free_times, make_office
    from tests.language import english

    def address(path):
        return english(path) if language == "en" else path

    procedure, office, full = "inscripcion-de-nacimiento", f"prueba-{language}", f"llena-{language}"
    make_office(app, slug=office, places=2, procedures=[procedure])
    make_office(app, slug=full, places=1, procedures=[procedure])
    citizen, other_device = app.test_client(), app.test_client()
    hora = free_times(citizen, office)[0]
    day = hora[:10]
    form = f"/citas/{office}/reservar?tramite={procedure}&hora={hora}"
    pages = {
        "offices": page_html(citizen.get(address("/citas/?municipio=pinar-del-rio")), 200, "the offices"),
        "office": page_html(citizen.get(address(f"/citas/{office}/")), 200, "an office's procedures"),
        "days": page_html(citizen.get(address(f"/citas/{office}/?tramite={procedure}")), 200, "free days"),
        "times": page_html(citizen.get(address(f"/citas/{office}/?tramite={procedure}&dia={day}")), 200, "free times"),
        "form": page_html(citizen.get(address(form)), 200, "the form"),
        "form-with-errors": page_html(fill_in(citizen, office, procedure, hora, path=address(form),
                                              carne="85133112345", correo="x@")[0], 400, "errors"),
        "check": page_html(fill_in(citizen, office, procedure, hora, path=address(form))[0], 200, "the check page"),
    }
    full_hora = free_times(citizen, full)[0]
    booked_code(book(other_device, full, procedure, full_hora, carne={"es": "90010100001", "en": "90010100002"}[language]))
    pages["place-taken"] = page_html(book(citizen, full, procedure, full_hora), 409, "a place taken")
    code = booked_code(book(citizen, office, procedure, hora))
    pages["receipt"] = page_html(citizen.get(address(f"/citas/cita/{code}/")), 200, "the receipt")
    pages["already-booked"] = page_html(book(citizen, full, procedure, free_times(citizen, full)[0]), 409,
                                        "one per procedure")
    pages["move-days"] = page_html(citizen.get(address(f"/citas/cita/{code}/cambiar")), 200, "days to move to")
    pages["move-times"] = page_html(citizen.get(address(f"/citas/cita/{code}/cambiar?dia={day}")), 200,
                                    "times to move to")
    pages["cancel"] = page_html(citizen.get(address(f"/citas/cita/{code}/anular")), 200, "cancelling")
    post_form(citizen, address(f"/citas/cita/{code}/anular"), f"/citas/cita/{code}/anular")
    pages["cancelled"] = page_html(citizen.get(address(f"/citas/cita/{code}/")), 200, "a cancelled appointment")
    pages["procedure"] = page_html(citizen.get(address(f"/tramites/{procedure}/")), 200, "a procedure with booking")
    assert language == "en" or "Pedir cita" in pages["procedure"].decode(), "the booking link is there to check"
    return {f"appointments-{name}-{language}": html for name, html in pages.items()}


def request_office_pages(app, language):
    """The panel's pages of online requests and assisted entry, in a language: {file name: HTML}.

    Runs after request_pages, which put the building licence online with a question of every type."""
    from tests.request_helpers import confirm, minimal_pdf, post_request_form
    from tests.test_requests import VALID
    slug = "licencia-de-construccion"
    citizen = app.test_client()
    checked = post_request_form(citizen, slug, {"plano": (minimal_pdf(), "plano.pdf")}, **VALID)
    code = confirm(citizen, checked.get_data(as_text=True), slug).headers["Location"].rstrip("/").split("/")[-1]
    webmaster = app.test_client()
    log_in(app, webmaster)
    webmaster.get(f"/admin/?lang={language}")
    page = f"/admin/solicitudes/{code}/"
    post_form(webmaster, page, f"{page}nota", **{"note-nota": "Revisar el plano"})
    post_form(webmaster, page, f"{page}estado/more_info", **{"more_info-nota": "Falta la firma."})
    entry = f"/admin/registrar/tramite/{slug}"
    pages = {
        "inbox-with-requests": page_html(webmaster.get("/admin/mensajes/"), 200, "the inbox with requests"),
        "inbox-requests-only": page_html(webmaster.get(f"/admin/mensajes/?clase=solicitudes&tramite={slug}"), 200,
                                         "the inbox's requests"),
        "request": page_html(webmaster.get(page), 200, "a request in the panel"),
        "request-print": page_html(webmaster.get(f"{page}imprimir"), 200, "a request printed"),
        "assisted-entry": page_html(webmaster.get("/admin/registrar/"), 200, "the assisted entry"),
        "assisted-message": page_html(webmaster.get("/admin/registrar/mensaje"), 200, "an assisted message"),
        "assisted-message-with-errors": page_html(post_form(webmaster, "/admin/registrar/mensaje",
                                                            "/admin/registrar/mensaje"), 400, "a refused message"),
        "assisted-request": page_html(webmaster.get(entry), 200, "an assisted request"),
        "assisted-request-with-errors": page_html(post_form(webmaster, entry, entry, **{"q-carne": "12"}), 400,
                                                  "a refused assisted request"),
    }
    registered = webmaster.post(entry, content_type="multipart/form-data", data=dict(
        hidden_fields(webmaster.get(entry).get_data(as_text=True)), **VALID, **{"caso-canal": "phone"},
        **{"q-plano": (io.BytesIO(minimal_pdf()), "plano.pdf")}))
    pages["assisted-receipt"] = page_html(webmaster.get(registered.headers["Location"]), 200, "an office receipt")
    return {f"office-{name}-{language}": html for name, html in pages.items()}
