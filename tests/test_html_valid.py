"""Pages are valid HTML by the Nu HTML Checker (the W3C validator), run once over all of them; feeds are XML."""
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from datetime import datetime

import pytest

from tests.conftest import PROJECT_ROOT, make_app
from tests.language import english
from tests.form_builder_helpers import request_form_pages
from tests.service_pages import (appointment_pages, codes_shown, office_pages, page_html, request_office_pages,
                                 request_pages)
from tests.participation_helpers import PASSWORD, hidden_fields, log_in, post_form, sent_code, submit_message
from tests.public_content import ATOM_FEEDS, LANGUAGES, PUBLIC_PAGES, load_known_content, public_page_path
from tests.test_media import image_bytes, pdf_bytes, upload

pytestmark = pytest.mark.slow

VNU_JAR = os.path.join(PROJECT_ROOT, ".tools", "node_modules", "vnu-jar", "build", "dist", "vnu.jar")

# file name -> (method, path, expected status); every public page type in both languages is added below.
PAGES = {
    "home-es": ("GET", "/", 200),
    "home-en": ("GET", english("/"), 200),
    "not-found-es": ("GET", "/no-existe", 404),
    "not-found-en": ("GET", english("/no-existe"), 404),
    "method-not-allowed-es": ("POST", "/robots.txt", 405),
    "method-not-allowed-en": ("POST", english("/robots.txt"), 405),
}


def nu_checker_messages(html_files):
    """Run the Nu HTML Checker once over the files; its messages (errors only)."""
    java = shutil.which("java")
    if not java or not os.path.isfile(VNU_JAR):
        missing = "java" if not java else VNU_JAR
        pytest.fail(f"The Nu HTML Checker cannot run ({missing} is missing): run `make test`, which installs it.",
                    pytrace=False)
    finished = subprocess.run(
        [java, "-jar", VNU_JAR, "--errors-only", "--format", "json", *html_files],
        capture_output=True, text=True, timeout=300,
    )
    try:  # the checker writes its JSON report on stderr
        return json.loads(finished.stderr)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"The Nu HTML Checker gave no report (exit {finished.returncode}):\n{finished.stderr}")


def describe(message):
    """One readable line per checker message: file, line, column, text."""
    file_name = os.path.basename(message.get("url", "?"))
    line = message.get("lastLine", message.get("firstLine", "?"))
    column = message.get("firstColumn", "?")
    extract = message.get("extract", "").replace("\n", " ")
    return f"{file_name}:{line}:{column}: {message.get('type')}: {message.get('message')}  [{extract}]"


def public_pages(next_month):
    """Every public page type of the known content in both languages, named like PAGES."""
    return {f"{name}-{language}": ("GET", public_page_path(name, language, next_month), 200)
            for name in PUBLIC_PAGES for language in LANGUAGES}


def participation_pages(app, language):
    """Every page of writing to the government, following it and answering it, as a citizen and the
    webmaster reach them in a language (by form posts too): {file name: HTML}."""
    citizen, other_device, webmaster = app.test_client(), app.test_client(), app.test_client()
    at = english if language == "en" else str
    webmaster.get(f"/admin/?lang={language}")
    pages = {
        "form": page_html(citizen.get(at("/participa/")), 200, "the form"),
        "form-with-errors": page_html(submit_message(
            citizen, at("/participa/"), tipo=None, tema="", asunto="", respuesta="correo",
            correo="no-es-un-correo"), 400, "errors"),
        "form-expired": page_html(submit_message(citizen, at("/participa/"), csrf_token="caducado"), 400,
                                  "an expired form"),
    }
    code = sent_code(submit_message(citizen, at("/participa/")))
    receipt = citizen.get(at(f"/participa/recibo/{code}/"))
    pages["receipt"] = page_html(receipt, 200, "the receipt")
    pin = codes_shown(receipt)[1]

    draft = citizen.get(submit_message(citizen, at("/participa/"), accion="borrador", asunto="").headers["Location"])
    pages["draft-saved"] = page_html(draft, 200, "a saved draft")
    draft_code, draft_pin = codes_shown(draft)
    drafts = at("/participa/borrador/")
    pages["resume-draft"] = page_html(other_device.get(drafts), 200, "the draft form")
    pages["resume-draft-wrong-pin"] = page_html(post_form(
        other_device, drafts, drafts, codigo=draft_code, pin="000000"), 400, "a draft's wrong PIN")
    pages["draft-resumed"] = page_html(post_form(
        other_device, drafts, drafts, codigo=draft_code, pin=draft_pin), 200, "a resumed draft")

    pages["tracking"] = page_html(other_device.get(at("/seguimiento/")), 200, "the tracking form")
    pages["tracking-wrong-pin"] = page_html(post_form(
        other_device, at("/seguimiento/"), at("/seguimiento/"), codigo=code, pin="000000"), 400, "a wrong PIN")
    opened = post_form(other_device, at("/seguimiento/"), at("/seguimiento/"), codigo=code.lower(), pin=pin)
    assert opened.status_code == 303, "the right code and PIN open the message"
    pages["message-received"] = page_html(other_device.get(at(f"/seguimiento/{code}/")), 200, "a message")

    pages["admin-login"] = page_html(webmaster.get("/admin/login"), 200, "the login form")
    pages["admin-login-failed"] = page_html(post_form(
        webmaster, "/admin/login", "/admin/login", usuario="webmaster", clave="no es la clave"), 400, "a failed login")
    log_in(app, webmaster)
    admin_page = f"/admin/mensajes/{code}/"
    post_form(webmaster, admin_page, f"{admin_page}nota", **{"note-nota": "Llamar a la farmacia el lunes"})
    post_form(webmaster, admin_page, f"{admin_page}prorrogar", **{"extend-dias": "5", "extend-motivo": "Un informe"})
    post_form(webmaster, admin_page, f"{admin_page}responder", **{
        "answer-respuesta": "Ya **llegaron**.\n\n- De 8:00 a 16:00\n- [Farmacias](https://example.cu/)"})
    pages["message-answered"] = page_html(other_device.get(at(f"/seguimiento/{code}/")), 200, "an answered message")
    assert b"<strong>llegaron</strong>" in pages["message-answered"], "the answer, in HTML, is there to check"
    post_form(other_device, at(f"/seguimiento/{code}/"), at(f"/seguimiento/{code}/valoracion"), resuelto="no")
    post_form(other_device, at(f"/seguimiento/{code}/"), at(f"/seguimiento/{code}/responder"), texto="Sigue sin haber.")
    pages["message-reopened"] = page_html(other_device.get(at(f"/seguimiento/{code}/")), 200, "a reopened message")
    assert "Sigue sin haber." in pages["message-reopened"].decode(), "the citizen's reply is there to check"

    pages["admin-inbox"] = page_html(webmaster.get("/admin/mensajes/"), 200, "the inbox")
    pages["admin-inbox-filtered"] = page_html(webmaster.get("/admin/mensajes/?municipio=vinales&atrasados=1"), 200,
                                              "the filtered inbox")
    pages["admin-message"] = page_html(webmaster.get(admin_page), 200, "a message in the panel")
    for shown in ("Llamar a la farmacia el lunes", "Un informe", "Sigue sin haber."):
        assert shown in pages["admin-message"].decode(), f"{shown!r} is on the panel's page to check"
    pages.update(privacy_pages(citizen, webmaster, code, at))
    pages["transparency"] = page_html(citizen.get(at("/transparencia/")), 200, "the transparency page")
    pages["open-data"] = page_html(citizen.get(at("/datos/")), 200, "the open data page")
    return {f"participation-{name}-{language}": html for name, html in pages.items()}


def privacy_pages(citizen, webmaster, answered_code, at):
    """A merged message reading the answer, a question with flagged personal data, erasing one's data."""
    duplicate = sent_code(submit_message(citizen, at("/participa/")))
    post_form(webmaster, f"/admin/mensajes/{duplicate}/", f"/admin/mensajes/{duplicate}/unir",
              **{"merge-codigo": answered_code})
    question = sent_code(submit_message(citizen, at("/participa/"), tipo="pregunta", publicar="y",
                                        nombre="Pedro Privado", asunto="¿Puede Pedro Privado llamar al 48 752233?"))
    admin_page = f"/admin/mensajes/{question}/"
    post_form(webmaster, admin_page, f"{admin_page}responder", **{"answer-respuesta": "Sí, a pedro@example.cu."})
    flagged = page_html(webmaster.get(admin_page), 200, "a question with personal data flagged")
    assert "pedro@example.cu" in flagged.decode().split("faq-datos")[1], "the flags are there to check"
    post_form(webmaster, admin_page, f"{admin_page}publicar", **{
        "faq-pregunta": "¿Se puede llamar?", "faq-respuesta_publica": "Sí.", "faq-revisado": "y"})
    published = page_html(webmaster.get(admin_page), 200, "a published question")
    confirmation = page_html(citizen.get(at(f"/seguimiento/{question}/borrar")), 200, "the erase confirmation")
    post_form(citizen, at(f"/seguimiento/{question}/borrar"), at(f"/seguimiento/{question}/borrar"))
    merged = page_html(citizen.get(at(f"/seguimiento/{duplicate}/")), 200, "a merged message")
    assert b"<strong>llegaron</strong>" in merged, "the answer of the message it joined is there to check"
    return {"message-merged": merged,
            "admin-question-flagged": flagged, "admin-question-published": published,
            "erase-confirmation": confirmation,
            "message-erased": page_html(citizen.get(at(f"/seguimiento/{question}/")), 200, "an erased message")}


CONTENT_KINDS = ("topics", "entities", "procedures", "guides", "news", "notices", "events", "pages")


def panel_pages(app, language):
    """Every page of the webmaster's panel beyond the inbox, reached in a language (by form posts too), with
    content, a procedure's history and published media to show: {file name: HTML}."""
    webmaster = app.test_client()
    webmaster.get(f"/admin/?lang={language}")
    log_in(app, webmaster)
    pages = {"content-home": page_html(webmaster.get("/admin/contenido/"), 200, "the content home")}
    for kind in CONTENT_KINDS:
        pages[f"content-list-{kind}"] = page_html(webmaster.get(f"/admin/contenido/{kind}/"), 200, f"{kind} list")
        pages[f"editor-new-{kind}"] = page_html(webmaster.get(f"/admin/contenido/{kind}/nuevo"), 200, f"new {kind}")

    image = upload(webmaster, "image", image_bytes(size=(700, 400)), "muelle.jpg", "Vista del muelle de La Coloma")
    document = upload(webmaster, "document", pdf_bytes(), "solicitud.pdf", "Solicitud de licencia")
    assert image.status_code == document.status_code == 303, "the media to show are published"
    pages["media"] = page_html(webmaster.get("/admin/medios/"), 200, "the media library")
    assert "Vista del muelle de La Coloma" in pages["media"].decode(), "the image is there to check"
    pages["media-refused"] = page_html(upload(webmaster, "image", b"esto no es una foto", "foto.jpg"), 400,
                                       "an upload refused")
    pages["media-with-errors"] = page_html(post_form(webmaster, "/admin/medios/", "/admin/medios/documentos"), 400,
                                           "an upload without file or title")
    pdf_path = re.search(r'href="(/medios/[0-9a-f]{16}\.pdf)"', pages["media"].decode()).group(1)

    new = "/admin/contenido/procedures/nuevo"
    pages["editor-with-errors"] = page_html(post_form(webmaster, new, new, accion="guardar"), 400, "an empty save")
    procedure = {"title_es": f"Licencia de pesca ({language})", "summary_es": "Para pescar en la costa.",
                 "steps": "Llene la solicitud\nPague el sello", "forms": f"Solicitud | {pdf_path}",
                 "offices": "Oficina de Pesca | Calle Martí 120 | pinar-del-rio | lunes a viernes",
                 "reviewed": "2026-01-15", "cost_cup": "25", "accion": "guardar"}
    news = "/admin/contenido/news/nuevo"
    pages["editor-preview"] = page_html(post_form(
        webmaster, news, news, title_es="Llegó la langosta", body="Buena **temporada**.\n\n- Muelle\n- Lonja",
        published="2026-11-20T10:00", accion="vista-previa"), 200, "a preview")
    created = post_form(webmaster, new, new, **procedure)
    assert created.status_code == 303, "the procedure is saved"
    editor = created.headers["Location"]
    stale = hidden_fields(webmaster.get(editor).get_data(as_text=True))  # a tab left open
    assert post_form(webmaster, editor, editor, **dict(procedure, steps="Pida la licencia")).status_code == 303
    pages["editor-existing"] = page_html(webmaster.get(editor), 200, "a procedure's editor")
    pages["editor-conflict"] = page_html(webmaster.post(editor, data=dict(stale, **procedure)), 409, "an edit conflict")
    pages["history"] = page_html(webmaster.get(editor + "historial"), 200, "a procedure's history")
    assert b"Pida la licencia" in pages["history"], "the history has a change to show"
    assert post_form(webmaster, editor, editor + "papelera").status_code == 303
    pages["editor-in-the-trash"] = page_html(webmaster.get(editor), 200, "a procedure in the trash")
    pages["trash"] = page_html(webmaster.get("/admin/papelera/"), 200, "the bin")
    assert f"Licencia de pesca ({language})" in pages["trash"].decode(), "the bin has an item to show"
    pages["trash-delete"] = page_html(webmaster.get("/admin/papelera/procedures/" + editor.rstrip("/").rsplit(
        "/", 1)[1] + "/borrar"), 200, "deleting for good, asked first")
    document_page, image_page = re.findall(r'href="(/admin/medios/[0-9a-f]{16}/)"', pages["media"].decode())[:2]
    pages["media-item"] = page_html(webmaster.get(image_page), 200, "an image's page")
    pages["media-item-document"] = page_html(webmaster.get(document_page), 200, "a document's page")
    pages["media-item-with-errors"] = page_html(post_form(
        webmaster, image_page, image_page + "texto", **{"texto-texto": ""}), 400, "an empty alternative text")
    pages["media-delete"] = page_html(webmaster.get(image_page + "borrar"), 200, "deleting an image, asked first")
    pages["media-delete-refused"] = page_html(post_form(
        webmaster, document_page + "borrar", document_page + "borrar"), 409, "deleting a document in use")
    pages["accounts"] = page_html(webmaster.get("/admin/cuentas"), 200, "the accounts")
    pages["accounts-with-errors"] = page_html(post_form(
        webmaster, "/admin/cuentas", "/admin/cuentas", usuario="Ana Pérez", clave="corta", repetida="otra"), 400,
        "an account refused")

    pages["settings"] = page_html(webmaster.get("/admin/ajustes"), 200, "the settings")
    pages["settings-with-errors"] = page_html(post_form(webmaster, "/admin/ajustes", "/admin/ajustes"), 400,
                                              "settings with errors")
    pages["password"] = page_html(webmaster.get("/admin/clave"), 200, "the password form")
    pages["password-with-errors"] = page_html(post_form(
        webmaster, "/admin/clave", "/admin/clave", actual="otra", nueva="corta", repetida="otra"), 400,
        "a refused password change")
    pages["backup"] = page_html(webmaster.get("/admin/copia-de-seguridad"), 200, "the backup page")
    pages["audit-log"] = page_html(webmaster.get("/admin/registro"), 200, "the audit log")
    pages["audit-log-empty"] = page_html(webmaster.get("/admin/registro?quien=nadie"), 200, "an empty audit log")
    pages["confirm"] = page_html(webmaster.get("/admin/confirmar?next=/admin/ajustes"), 200, "the confirmation")
    pages["confirm-wrong-password"] = page_html(post_form(
        webmaster, "/admin/confirmar", "/admin/confirmar", clave=PASSWORD + "x"), 400, "a wrong confirmation")
    return {f"panel-{name}-{language}": html for name, html in pages.items()}


def test_portal_pages_are_valid_html(data_dir, tmp_path):
    app = make_app(data_dir)
    dates = load_known_content(app)
    client = app.test_client()
    pages = {**PAGES, **public_pages(dates["next_month"])}
    rendered = {}
    for name, (method, path, status) in pages.items():
        rendered[name] = page_html(client.open(path, method=method), status, f"{method} {path}")
    for _ in range(5):  # enough messages from one municipality for the transparency charts
        sent_code(submit_message(client, municipio="vinales"))
    for language in LANGUAGES:
        rendered.update(participation_pages(app, language))
        rendered.update(panel_pages(app, language))
        rendered.update(office_pages(app, language))
        rendered.update(request_pages(app, language))
        rendered.update(request_form_pages(app, language))
        rendered.update(appointment_pages(app, language))
        rendered.update(request_office_pages(app, language))
    assert b'<svg role="img"' in rendered["participation-transparency-es"], "the charts are there to check"

    html_files = []
    for name, html in rendered.items():
        html_file = tmp_path / f"{name}.html"
        html_file.write_bytes(html)
        html_files.append(str(html_file))

    messages = nu_checker_messages(html_files)
    assert not messages, "The Nu HTML Checker found errors:\n" + "\n".join(map(describe, messages))


ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", ATOM_FEEDS)
def test_atom_feeds_are_well_formed_xml_with_what_atom_requires(data_dir, path, language):
    client = make_app(data_dir).test_client()
    response = client.get(english(path) if language == "en" else path)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(response.get_data())  # raises on anything not well-formed
    assert feed.tag == ATOM + "feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == language
    entries = feed.findall(ATOM + "entry")
    assert entries, f"{path} has no entries with the example province"
    for element in (feed, *entries):
        for required in ("id", "title", "updated"):
            assert (element.findtext(ATOM + required) or "").strip(), f"{path}: an {element.tag} has no {required}"
    for stamp in [*feed.iter(ATOM + "updated"), *feed.iter(ATOM + "published")]:
        # RFC 3339: a date, a time and an offset
        assert datetime.fromisoformat(stamp.text).tzinfo, f"{path}: {stamp.text} has no offset"
    for entry in entries:
        link = entry.find(ATOM + "link")
        assert link is not None and link.get("href", "").startswith("http://localhost/"), f"{path}: entry link"
