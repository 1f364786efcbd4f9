"""Sending online requests the way a browser does: the form, its files, the check page, the receipt."""
import io
import re

from PIL import Image

from tests.language import english
from tests.participation_helpers import hidden_fields

SLUG = "cambio-domicilio"
# Answers to the example province's form for a change of address (every required question).
ANSWERS = {
    "q-carne": "85031512345", "q-nombre": "María Pérez", "q-direccion_nueva-municipio": "guane",
    "q-direccion_nueva-calle": "Calle Martí 12, entre Maceo y Gómez", "q-fecha_mudanza": "2026-03-15",
    "q-convivientes": "2", "q-vivienda": "0", "q-correo": "", "q-telefono": "", "q-declaro": "si",
}


def minimal_pdf(text="Contrato de arrendamiento", catalog=b""):
    """A small, well-formed one-page PDF (catalog: more entries for its catalog)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [b"<< /Type /Catalog /Pages 2 0 R " + catalog + b">>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    output = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    output += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    output += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start)
    return bytes(output)


def jpeg_bytes(size=(64, 48), colour=(200, 30, 30), **save_options):
    """A small JPEG photo."""
    output = io.BytesIO()
    Image.new("RGB", size, colour).save(output, "JPEG", **save_options)
    return output.getvalue()


def form_address(slug=SLUG, in_english=False):
    """The address of a procedure's request form, in Spanish or English."""
    path = f"/tramites/{slug}/solicitar"
    return english(path) if in_english else path


def post_request_form(client, slug=SLUG, files=None, start_page=None, in_english=False, **changes):
    """Post the request form (answers, files as {question: (bytes, name)}); returns the response."""
    page = start_page if start_page is not None else client.get(form_address(slug, in_english)).get_data(as_text=True)
    data = dict(hidden_fields(page), **(ANSWERS if slug == SLUG else {}))
    data.update(changes)
    data = {key: value for key, value in data.items() if value is not None}
    for question, (content, name) in (files or {}).items():
        data[f"q-{question}"] = (io.BytesIO(content), name)
    data.setdefault("accion", "revisar")
    return client.post(form_address(slug, in_english), data=data, content_type="multipart/form-data")


def confirm(client, check_page, slug=SLUG, action="enviar"):
    """Press a button of the check page; returns the response."""
    return client.post(f"/tramites/{slug}/solicitar/enviar", data=dict(hidden_fields(check_page), accion=action))


def send_request(client, slug=SLUG, files=None, **changes):
    """Fill in, check and send a request; returns (code, pin)."""
    files = files if files is not None else {"documento": (minimal_pdf(), "contrato.pdf")}
    checked = post_request_form(client, slug, files, **changes)
    assert checked.status_code == 200, checked.get_data(as_text=True)[:3000]
    sent = confirm(client, checked.get_data(as_text=True), slug)
    assert sent.status_code == 303, sent.get_data(as_text=True)[:3000]
    code = sent.headers["Location"].rstrip("/").split("/")[-1]
    html = client.get(f"/tramites/solicitud/recibo/{code}/").get_data(as_text=True)
    return code, re.search(r'<dt>PIN</dt><dd class="code">(\d{6})</dd>', html).group(1)
