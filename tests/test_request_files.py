"""Files of online requests: judged by content, kept out of public reach, downloaded only by who may, purged."""
import io
import os
import re
import struct
import time
import zlib
from datetime import datetime, timedelta, timezone

import pytest
from PIL import Image

from redpinar.store.request_files import check_and_store, file_path, files_root
from redpinar.store.requests import get_request, import_requests
from tests.conftest import make_app
from tests.participation_helpers import hidden_fields, log_in
from tests.request_helpers import confirm, jpeg_bytes, minimal_pdf, post_request_form, send_request
from tests.test_pages import page_text


def refusal(client, content, name, in_english=False):
    """Send the form with this file as the required document; returns the error shown beside it."""
    response = post_request_form(client, files={"documento": (content, name)}, in_english=in_english)
    assert response.status_code == 400, response.status_code
    html = response.get_data(as_text=True)
    assert 'href="#q-documento"' in html
    return re.search(r'id="q-documento-error">(.*?)</p>', html, re.S).group(1)


def huge_png(width=20_000, height=20_000):
    """A tiny file that claims 20,000 × 20,000 pixels (a decompression bomb)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = zlib.compress(b"\x00" * (1 + width // 8) * 16)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", rows) + chunk(b"IEND", b""))


def polyglot_jpeg():
    """A JPEG whose comment and tail carry HTML and script (what a browser sniffing it would run)."""
    photo = jpeg_bytes()
    script = b"<html><script>alert(document.cookie)</script></html>"
    comment = b"\xff\xfe" + struct.pack(">H", len(script) + 2) + script
    return photo[:2] + comment + photo[2:] + script


def stored_bytes(app, code):
    with app.app_context():
        entry = get_request(code)["files"][0]
        with open(file_path(entry), "rb") as handle:
            return entry, handle.read()


@pytest.mark.parametrize("content, name, message", [
    (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "contrato.pdf", "Solo se aceptan archivos PDF, JPEG o PNG."),
    (b"#!/bin/sh\nrm -rf /\n", "contrato.pdf", "Solo se aceptan archivos PDF, JPEG o PNG."),
    (b"PK\x03\x04" + b"\x00" * 100, "contrato.pdf", "Solo se aceptan archivos PDF, JPEG o PNG."),
    (b"", "contrato.pdf", "El archivo está vacío."),
    (b"%PDF-1.4\n<html>", "contrato.pdf", "El PDF está incompleto o dañado."),
    (minimal_pdf(catalog=b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "),
     "contrato.pdf", "El PDF contiene programas o archivos incrustados."),
    (jpeg_bytes()[:200], "foto.jpg", "No se pudo leer la imagen"),
    (huge_png(), "plano.png", "La imagen es demasiado grande."),
    (minimal_pdf() + b"%" * (5 * 1024 * 1024), "grande.pdf", "El archivo pasa de 5 MB"),
])
def test_hostile_and_broken_files_are_refused_with_a_clear_message(client, content, name, message):
    assert message in refusal(client, content, name)


def test_refusals_are_in_english_on_english_pages(client):
    assert "Only PDF, JPEG or PNG files are accepted." in refusal(client, b"<html></html>", "a.pdf", in_english=True)


def test_a_polyglot_jpeg_is_made_harmless_by_encoding_it_again(app, client):
    code, _ = send_request(client, files={"documento": (polyglot_jpeg(), "foto.pdf")})
    entry, content = stored_bytes(app, code)
    assert entry["type"] == "jpeg" and entry["path"].endswith(".jpg")
    assert b"<script" not in content and b"<html" not in content
    assert Image.open(io.BytesIO(content)).format == "JPEG"


def test_photo_metadata_is_stripped(app, client):
    exif = Image.Exif()
    exif[0x013B] = "María Pérez"  # Artist
    exif[0x010F] = "Teléfono de María"  # Make
    code, _ = send_request(client, files={"documento": (jpeg_bytes(exif=exif.tobytes()), "foto.jpg")})
    _entry, content = stored_bytes(app, code)
    assert b"Exif" not in content and "María".encode() not in content


def test_a_body_larger_than_the_server_takes_is_refused_without_an_error_500(client):
    response = post_request_form(client, files={"documento": (b"%PDF-1.4" + b"0" * (9 * 1024 * 1024), "a.pdf")})
    assert response.status_code == 413


def test_the_files_of_one_request_have_a_total_limit(data_dir):
    app = make_app(data_dir, REQUEST_FILES_TOTAL_BYTES=1024 * 1024)
    client = app.test_client()
    big = minimal_pdf("x" * 700 * 1024)
    response = post_request_form(client, "licencia-construccion", files={"titulo_propiedad": (big, "a.pdf"), "croquis": (big, "b.pdf")},
                                 **{"q-nombre": "Ana"})
    assert "no pueden pasar de 1 MB en total" in page_text(response)


def test_files_are_stored_outside_the_public_media_folder(app, client):
    code, _ = send_request(client)
    with app.app_context():
        path = file_path(get_request(code)["files"][0])
        assert path.startswith(files_root() + os.sep) and "uploads" not in path
    name = os.path.basename(path)
    assert client.get(f"/medios/{name}").status_code == 404


def download_link(client, code):
    page = client.get(f"/seguimiento/solicitudes/{code}/").get_data(as_text=True)
    return re.search(r'href="(/seguimiento/solicitudes/[^"]+/archivos/[0-9a-f]+)"', page).group(1)


def test_downloads_are_attachments_with_nosniff_for_the_citizen_with_code_and_pin(app, client):
    code, pin = send_request(client, files={"documento": (minimal_pdf(), "contrato <b>.pdf")})
    link = download_link(client, code)
    response = client.get(link)
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Type"] == "application/pdf"
    assert "no-store" in response.headers["Cache-Control"]
    stranger = app.test_client()
    assert stranger.get(link).status_code == 404
    form = hidden_fields(stranger.get("/seguimiento/").get_data(as_text=True))
    stranger.post("/seguimiento/", data=dict(form, codigo=code, pin=pin))
    assert stranger.get(link).status_code == 200
    assert client.get(link[:-4] + "0000").status_code == 404


def test_the_webmaster_downloads_any_request_file(app, client):
    code, _ = send_request(client)
    link = download_link(client, code)
    webmaster = app.test_client()
    assert webmaster.get(link).status_code == 404
    log_in(app, webmaster)
    response = webmaster.get(link)
    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith("attachment;")


def test_purge_removes_answers_and_files_after_the_retention_period(app, client, runner):
    recent, _ = send_request(client)
    with app.app_context():
        entry = check_and_store(minimal_pdf(), "viejo.pdf", "documento")
        old = (datetime.now(timezone.utc) - timedelta(days=4000)).isoformat(timespec="seconds")
        import_requests([{"id": "OLDX-2345", "created": old, "updated": old, "procedure": "cambio-domicilio",
                          "questions": [], "answers": {"nombre": "María"}, "files": [entry], "email": "m@example.cu",
                          "status": "closed", "history": []}])
        old_path = file_path(entry)
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "online request" in result.output
    with app.app_context():
        purged = get_request("OLDX-2345")
        assert purged["answers"] == {} and purged["files"] == [] and purged["email"] == "" and purged["anonymised"]
        assert get_request(recent)["answers"]["nombre"] == "María Pérez"
        assert os.path.exists(file_path(get_request(recent)["files"][0]))
    assert not os.path.exists(old_path)


def test_check_removes_files_no_request_names_and_leftover_temp_files(app, client, runner):
    code, _ = send_request(client)
    with app.app_context():
        orphan = file_path(check_and_store(minimal_pdf(), "suelto.pdf", "documento"))
        kept = file_path(get_request(code)["files"][0])
    leftover = os.path.join(os.path.dirname(orphan), ".abc123.tmp")
    with open(leftover, "wb") as handle:
        handle.write(b"%PDF-1.4 half")
    young = os.path.join(os.path.dirname(orphan), "0" * 32 + ".pdf")
    with open(young, "wb") as handle:
        handle.write(b"%PDF-1.4")
    past = time.time() - 3 * 3600
    for path in (orphan, leftover, kept):
        os.utime(path, (past, past))
    result = runner.invoke(args=["check"])
    assert "removed 2 request file(s)" in result.output, result.output
    assert not os.path.exists(orphan) and not os.path.exists(leftover)
    # Named by a request, or young enough to belong to a form being filled in now: kept.
    assert os.path.exists(kept) and os.path.exists(young)


def test_check_reports_a_request_whose_file_is_missing(app, client, runner):
    code, _ = send_request(client)
    with app.app_context():
        os.unlink(file_path(get_request(code)["files"][0]))
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1 and f"request {code}" in result.output


def test_a_draft_keeps_its_files_from_the_sweep(app, client, runner):
    saved = post_request_form(client, files={"documento": (minimal_pdf(), "contrato.pdf")}, accion="borrador")
    assert saved.status_code == 303
    stored = [os.path.join(folder, name) for folder, _dirs, names in os.walk(os.path.join(app.config["DATA_DIR"], "request-files"))
              for name in names]
    past = time.time() - 3 * 3600
    for path in stored:
        os.utime(path, (past, past))
    runner.invoke(args=["check"])
    assert stored and all(os.path.exists(path) for path in stored)


def test_the_check_page_refuses_to_send_a_file_that_is_gone(app, client):
    checked = post_request_form(client, files={"documento": (minimal_pdf(), "contrato.pdf")})
    for folder, _dirs, names in os.walk(os.path.join(app.config["DATA_DIR"], "request-files")):
        for name in names:
            os.unlink(os.path.join(folder, name))
    response = confirm(client, checked.get_data(as_text=True))
    assert response.status_code == 400 and "adjunte el archivo" in page_text(response)
