"""Filling in the portal's forms the way a browser does: fetch the form, keep its hidden fields."""
import re

from redpinar.store.examples import remove_examples
from redpinar.store.users import create_admin, get_user

PASSWORD = "una clave larga y segura"


def hidden_fields(html):
    """Every hidden input of a page as {name: value}."""
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        if 'type="hidden"' not in tag:
            continue
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


MESSAGE = {
    "tipo": "queja", "tema": "salud", "entidad": "no-se", "municipio": "guane",
    "asunto": "Falta de medicamentos en la farmacia",
    "mensaje": "En la farmacia principal de Guane no hay medicamentos para la presión desde hace un mes.",
    "nombre": "María Pérez", "respuesta": "codigo", "accion": "enviar",
}


def submit_message(client, page="/participa/", **changes):
    """Send the participation form (at `page`: english("/participa/") for the English one); the post's response."""
    form = client.get(page).get_data(as_text=True)
    data = dict(hidden_fields(form), **MESSAGE)
    data.update(changes)
    data = {key: value for key, value in data.items() if value is not None}
    return client.post(page, data=data)


def sent_code(response):
    """The tracking code from the redirect to the receipt."""
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return response.headers["Location"].rstrip("/").split("/")[-1]


def receipt_pin(client, code):
    """The PIN shown on the receipt."""
    html = client.get(f"/participa/recibo/{code}/").get_data(as_text=True)
    return re.search(r'<dt>PIN</dt><dd class="code">(\d{6})</dd>', html).group(1)


def without_examples(app):
    """Remove the example province's example messages, for a test that counts from an empty inbox."""
    with app.app_context():
        remove_examples()


def log_in(app, client, username="webmaster"):
    """Create a webmaster (unless it exists: a reset would end its other sessions) and log the client in."""
    with app.app_context():
        if get_user(username) is None:
            create_admin(username, PASSWORD)
    form = hidden_fields(client.get("/admin/login").get_data(as_text=True))
    response = client.post("/admin/login", data=dict(form, usuario=username, clave=PASSWORD))
    assert response.status_code == 303
    return response


def post_form(client, page, action, **fields):
    """Post one of the forms of a page, with its own CSRF token (prefixed forms included)."""
    html = client.get(page).get_data(as_text=True)
    return client.post(action, data=dict(hidden_fields(html), **fields))
