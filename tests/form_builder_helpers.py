"""Building a procedure's online form in the panel, the way a browser does it."""
import re
from html import unescape

from redpinar.store import content
from tests.participation_helpers import hidden_fields, log_in, post_form

# One question of every type, as the add form is filled in.
EVERY_TYPE = [
    {"tipo": "short_text", "texto_es": "Nombre completo", "texto_en": "Full name", "obligatoria": "y"},
    {"tipo": "long_text", "texto_es": "Motivo de la solicitud", "ayuda_es": "Explique en pocas líneas."},
    {"tipo": "number", "texto_es": "Personas en el núcleo", "texto_en": "People in the household"},
    {"tipo": "date", "texto_es": "Fecha de la obra", "texto_en": "Date of the works"},
    {"tipo": "choice", "texto_es": "Estado civil", "texto_en": "Marital status", "obligatoria": "y",
     "opciones": "Soltero | Single\nCasado | Married\n\nViudo | Widowed"},
    {"tipo": "choices", "texto_es": "Servicios", "texto_en": "Services", "opciones": "Agua | Water\nLuz"},
    {"tipo": "yes_no", "texto_es": "¿Tiene vivienda propia?", "texto_en": "Do you own your home?"},
    {"tipo": "id_card", "texto_es": "Carné de identidad", "texto_en": "Identity card", "obligatoria": "y"},
    {"tipo": "email", "texto_es": "Correo electrónico", "texto_en": "Email"},
    {"tipo": "phone", "texto_es": "Teléfono", "texto_en": "Phone"},
    {"tipo": "address", "texto_es": "Dirección de la obra", "texto_en": "Address of the works"},
    {"tipo": "file", "texto_es": "Plano de la obra", "texto_en": "Plan of the works", "tamano": "3",
     "obligatoria": "y"},
    {"tipo": "declaration", "texto_es": "Declaro que los datos son ciertos", "texto_en": "I declare the data true",
     "obligatoria": "y"},
]


def procedure_id(app, slug):
    """The id of the procedure with this slug (the panel's addresses use ids)."""
    with app.app_context():
        return next(document["id"] for document in content.all_documents("procedures")
                    if document.get("slug") == slug)


def builder(app, slug):
    """The address of a procedure's form builder."""
    return f"/admin/tramites/{procedure_id(app, slug)}/formulario"


def add_question(client, page, **fields):
    """Post the add-a-question form of the builder page; returns the response."""
    return post_form(client, page, page + "/nueva", **fields)


def added(client, page, **fields):
    """Add a question that must be accepted; returns its key."""
    response = add_question(client, page, **fields)
    assert response.status_code == 303, errors_shown(response)
    return response.headers["Location"].rsplit("#pregunta-", 1)[1]


def publish(client, page):
    """Press «Publicar»; returns the response."""
    return post_form(client, page, page + "/publicar")


def edit_question(client, page, key, **fields):
    """Save a question's edit form (its other fields as they were); returns the response."""
    edit = f"{page}/preguntas/{key}"
    html = client.get(edit).get_data(as_text=True)
    values = dict(hidden_fields(html), **_filled_in(html))
    values.update(fields)
    return client.post(edit, data={name: value for name, value in values.items() if value is not None})


def _filled_in(html):
    """The text inputs, text areas and ticked boxes of a page, as a browser would send them."""
    values = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and 'type="checkbox"' in tag:
            if "checked" in tag:
                values[name.group(1)] = "y"
        elif name and 'type="hidden"' not in tag:
            values[name.group(1)] = unescape(value.group(1)) if value else ""
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>\s?(.*?)</textarea>', html, flags=re.S):
        values[name] = unescape(text)
    return values


def errors_shown(response):
    """The error messages beside the fields of a page."""
    return re.findall(r'class="error-message"[^>]*>([^<]*)<', response.get_data(as_text=True))


def request_form_pages(app, language):
    """Every page of the online form builder, and a card with its days, in a language: {file name: HTML}."""
    webmaster = app.test_client()
    webmaster.get(f"/?lang={language}")
    log_in(app, webmaster)
    new = "/admin/contenido/procedures/nuevo"
    fields = {"title_es": f"Permiso de pesca submarina ({language})", "summary_es": "Para pescar con arpón.",
              "resolve_days": "20", "time_to_resolve": "Hasta 20 días hábiles.", "accion": "guardar"}
    editor = post_form(webmaster, new, new, **fields).headers["Location"]
    page = f"/admin/tramites/{editor.rstrip('/').rsplit('/', 1)[1]}/formulario"
    pages = {"empty": webmaster.get(page)}
    for question in EVERY_TYPE:
        added(webmaster, page, **question)
    publish(webmaster, page)
    key = added(webmaster, page, tipo="short_text", texto_es="Observaciones")
    pages.update({
        "builder": webmaster.get(page), "builder-with-errors": add_question(webmaster, page, tipo="choice"),
        "question": webmaster.get(f"{page}/preguntas/{key}"),
        "question-with-errors": edit_question(webmaster, page, key, texto_es=""),
        "file-question-with-errors": edit_question(webmaster, page, "plano_de_la_obra", tamano="99"),
        "remove": webmaster.get(f"{page}/preguntas/{key}/quitar"), "preview": webmaster.get(page + "/vista-previa"),
        "version": webmaster.get(page + "/versiones/1"),
        "card": webmaster.get(f"/tramites/permiso-de-pesca-submarina-{language}/"),
        "editor-online-refused": post_form(webmaster, new, new, **dict(fields, title_es="Otro", online="y")),
    })
    expected = {"builder-with-errors": 400, "question-with-errors": 400, "file-question-with-errors": 400,
                "editor-online-refused": 400}
    for name, response in pages.items():
        assert response.status_code == expected.get(name, 200), f"{name}: {response.status_code}"
    return {f"request-form-{name}-{language}": response.get_data() for name, response in pages.items()}
