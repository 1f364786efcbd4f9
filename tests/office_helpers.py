"""The offices panel as tests use it: a logged-in webmaster, the office form, what is stored."""
import html
import json
import os
import re

import pytest

from tests.conftest import PROJECT_ROOT
from tests.participation_helpers import hidden_fields, log_in


NEW = "/admin/oficinas/nueva"
OFFICE = {
    "nombre_es": "Oficina de Identificación de Pinar del Río", "nombre_en": "Pinar del Río ID office",
    "entidad": "oficina-identificacion", "municipio": "pinar-del-rio", "direccion": "Calle Martí 120",
    "traer_es": "", "traer_en": "", "tramites": ["carne-identidad", "cambio-domicilio"],
    "duracion": "15", "puestos": "3", "desde_dias": "1", "hasta_dias": "30", "corte_horas": "12", "activa": "y",
    "d1_1_inicio": "08:00", "d1_1_fin": "12:00", "d1_2_inicio": "13:00", "d1_2_fin": "16:00",
    "d3_1_inicio": "8:30", "d3_1_fin": "11:30",
}
DOCUMENT_KEYS = {"id", "slug", "created", "updated", "schema", "name", "entity", "municipality", "address", "bring",
                 "procedures", "slot_minutes", "places", "weekly", "exceptions", "book_from_days", "book_until_days",
                 "cutoff_hours", "active"}


@pytest.fixture
def webmaster(app):
    """A logged-in webmaster's browser."""
    client = app.test_client()
    log_in(app, client)
    return client


@pytest.fixture
def webmaster_in_english(app):
    """Another browser of the webmaster, that reads the panel in English (the panel remembers a language)."""
    client = app.test_client()
    log_in(app, client)
    client.get("/admin/?lang=en")
    return client


def post_office(client, page, **changes):
    """Send the office form of page (new or an office's page) with OFFICE changed by changes (None drops a field)."""
    data = dict(hidden_fields(client.get(page).get_data(as_text=True)), **OFFICE)
    data.update(changes)
    return client.post(page, data={key: value for key, value in data.items() if value is not None})


def created(client, **changes):
    """Create an office; its page."""
    response = post_office(client, NEW, **changes)
    assert response.status_code == 303, error_messages(response)
    return response.headers["Location"]


def error_messages(response):
    """The messages shown beside the inputs."""
    return [html.unescape(re.sub(r"\s+", " ", message).strip())
            for message in re.findall(r'class="error-message"[^>]*>([^<]*)<', response.get_data(as_text=True))]


EXAMPLE_OFFICES = {office["slug"] for office in json.load(open(
    os.path.join(PROJECT_ROOT, "data", "demo", "pinar-del-rio", "appointments.json"), encoding="utf-8"))["offices"]}


def stored_offices(app):
    """The documents of data/appointments/offices.json as they are on disk, besides the example's offices."""
    with open(os.path.join(app.config["DATA_DIR"], "appointments", "offices.json"), encoding="utf-8") as handle:
        return [office for office in json.load(handle)["_default"].values() if office["slug"] not in EXAMPLE_OFFICES]


def add_special_day(client, page, language=lambda address: address, **fields):
    """Send the form that adds a special day on an office's page (language: the page's address in a language)."""
    data = hidden_fields(client.get(language(page)).get_data(as_text=True))
    data.update({f"excepcion-{name}": value for name, value in fields.items()})
    return client.post(language(page + "excepciones"), data=data)
