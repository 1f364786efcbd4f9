"""Content stays consistent: renames keep references, the editor refuses what would break pages."""
import json
import re
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from redpinar.store import content
from tests.editor_helpers import edit_address, editor_fields, resave
from tests.language import english
from tests.participation_helpers import log_in
from tests.test_content_editing import create_news
from tests.test_pages import page_text


@pytest.fixture
def webmaster(app, client):
    """A logged-in webmaster's browser."""
    log_in(app, client)
    return client


def links_of(response):
    """Every href of a page."""
    return re.findall(r'href="([^"]+)"', response.get_data(as_text=True))


def test_renaming_a_procedure_keeps_the_guide_step_title_and_link(app, webmaster, client):
    saved = resave(webmaster, edit_address(app, "procedures", "cambio-domicilio"), slug="cambio-de-direccion")
    assert saved.status_code == 303, page_text(saved)[:500]
    guide = client.get("/guias/mudarse-de-casa/")
    assert '<a href="/tramites/cambio-de-direccion/">Cambio de domicilio</a>' in guide.get_data(as_text=True)
    assert "/tramites/cambio-domicilio/" not in links_of(guide)
    with app.app_context():
        guide_document = next(g for g in content.all_documents("guides") if g["slug"] == "mudarse-de-casa")
    assert [step["procedure"] for step in guide_document["steps"]][1] == "cambio-de-direccion"


def test_renaming_a_procedure_keeps_it_among_the_related_procedures(app, webmaster, client):
    resave(webmaster, edit_address(app, "procedures", "cambio-domicilio"), slug="cambio-de-direccion")
    card = client.get("/tramites/carne-identidad/")
    assert "/tramites/cambio-de-direccion/" in links_of(card)
    with app.app_context():
        card_document = next(p for p in content.all_documents("procedures") if p["slug"] == "carne-identidad")
    assert "cambio-de-direccion" in card_document["related"] and "cambio-domicilio" not in card_document["related"]


def test_renaming_an_entity_keeps_the_procedures_that_name_it(app, webmaster, client):
    saved = resave(webmaster, edit_address(app, "entities", "oficina-identificacion"), slug="carne-y-direcciones")
    assert saved.status_code == 303, page_text(saved)[:500]
    card = client.get("/tramites/carne-identidad/")
    assert "/entidades/carne-y-direcciones/" in links_of(card)
    assert "Responsable del texto" in page_text(card)
    entity_page = page_text(client.get("/entidades/carne-y-direcciones/"))
    assert "Carné de identidad" in entity_page  # the procedures it handles are still listed


def test_renaming_a_topic_keeps_its_procedures_guides_entities_and_news(app, webmaster, client):
    with app.app_context():
        before = {collection: sorted(document["slug"] for document in content.all_documents(collection)
                                     if document.get("topic") == "vivienda" or "vivienda" in (document.get("topics") or []))
                  for collection in ("procedures", "guides", "entities", "news", "pages")}
    saved = resave(webmaster, edit_address(app, "topics", "vivienda"), slug="casa-y-vivienda")
    assert saved.status_code == 303, page_text(saved)[:500]
    with app.app_context():
        after = {collection: sorted(document["slug"] for document in content.all_documents(collection)
                                    if document.get("topic") == "casa-y-vivienda"
                                    or "casa-y-vivienda" in (document.get("topics") or []))
                 for collection in ("procedures", "guides", "entities", "news", "pages")}
    assert after == before and before["procedures"] and before["guides"] and before["entities"]
    topic_page = client.get("/temas/casa-y-vivienda/")
    assert "/tramites/licencia-construccion/" in links_of(topic_page)
    assert "/guias/mudarse-de-casa/" in links_of(topic_page)
    assert "/entidades/planificacion-fisica/" in links_of(topic_page)


def test_a_reference_left_with_an_old_slug_still_finds_the_renamed_document(app, webmaster, client):
    resave(webmaster, edit_address(app, "procedures", "cambio-domicilio"), slug="cambio-de-direccion")
    with app.app_context():  # a guide as it was before the rename (say, brought back from a backup)
        guide = next(g for g in content.all_documents("guides") if g["slug"] == "mudarse-de-casa")
        steps = [dict(step, procedure="cambio-domicilio") if step["procedure"] == "cambio-de-direccion" else step
                 for step in guide["steps"]]
        content.update_document("guides", guide["id"], {"steps": steps})
    assert "/tramites/cambio-de-direccion/" in links_of(client.get("/guias/mudarse-de-casa/"))


def test_scheduled_news_enters_search_at_its_minute_with_nothing_saved_in_between(webmaster, client, monkeypatch):
    in_a_minute = datetime.fromtimestamp(time.time(), ZoneInfo("America/Havana")) + timedelta(minutes=1)
    create_news(webmaster, title_es="Zarzuela en el teatro Milanés", summary_es="Función de zarzuela.",
                publish_at=in_a_minute.strftime("%Y-%m-%dT%H:%M"))
    address = "/noticias/zarzuela-en-el-teatro-milanes/"
    assert address not in links_of(client.get("/buscar?q=zarzuela"))
    later = time.time() + 120
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get(address).status_code == 200
    assert address in links_of(client.get("/buscar?q=zarzuela"))


PROCEDURE = {"title_es": "Licencia de pesca", "summary_es": "Para pescar en la presa.", "municipalities": "",
             "accion": "guardar"}


def create_procedure(client, **changes):
    """A procedure saved through the editor; returns the response of the post."""
    return resave(client, "/admin/contenido/procedures/nuevo", **dict(PROCEDURE, **changes))


def cost_of(response):
    """The HTML of the cost on a procedure card."""
    html = response.get_data(as_text=True)
    return html.split("<dt>", 2)[1].split("</dd>")[0] if "<dt>" in html else ""


def office_of(response):
    """The HTML of the first office on a procedure card."""
    return response.get_data(as_text=True).split('<div class="office">')[1].split("</div>")[0]


def test_a_cost_with_only_stamps_has_no_stray_separator(webmaster, client):
    create_procedure(webmaster, cost_stamps="Sello de 5 CUP")
    cost = cost_of(client.get("/tramites/licencia-de-pesca/"))
    assert "Sello de 5 CUP" in cost and "·" not in cost
    create_procedure(webmaster, title_es="Permiso de caza", cost_cup="40", cost_stamps="Sello de 5 CUP")
    assert "40 CUP · Sellos:" in re.sub(r"\s+", " ", page_text(client.get("/tramites/permiso-de-caza/")))


def test_costs_take_decimals_with_a_comma_or_a_point_and_show_them_in_the_visitors_locale(webmaster, client):
    assert create_procedure(webmaster, cost_cup="25,50").status_code == 303
    assert "25,50 CUP" in page_text(client.get("/tramites/licencia-de-pesca/"))
    assert "25.50 CUP" in page_text(client.get(english("/tramites/licencia-de-pesca/")))
    assert create_procedure(webmaster, title_es="Permiso de caza", cost_cup="12.5").status_code == 303
    assert "12,50 CUP" in page_text(client.get("/tramites/permiso-de-caza/"))


@pytest.mark.parametrize("cost", ["-5", "25,505", "veinte"])
def test_a_cost_that_is_not_an_amount_is_refused_on_the_field(webmaster, cost):
    response = create_procedure(webmaster, cost_cup=cost)
    assert response.status_code == 400
    assert "Escriba un importe de 0 o más" in page_text(response)


def test_who_may_apply_is_markdown_sanitised_when_saved(app, webmaster, client):
    create_procedure(webmaster, who_may_apply="Personas **mayores de 16 años**.\n\n<script>alert(1)</script>")
    html = client.get("/tramites/licencia-de-pesca/").get_data(as_text=True)
    assert "<strong>mayores de 16 años</strong>" in html and "<script>alert" not in html
    with app.app_context():
        stored = next(p for p in content.all_documents("procedures") if p["slug"] == "licencia-de-pesca")
    assert "<script" not in stored["who_may_apply_html"]


def test_an_office_without_hours_shows_no_empty_hours(webmaster, client):
    create_procedure(webmaster, offices="Oficina de Pesca | Calle Real 3 | sandino")
    office = office_of(client.get("/tramites/licencia-de-pesca/"))
    assert "Calle Real 3" in office and "Horario" not in office
    create_procedure(webmaster, title_es="Permiso de caza", offices="Oficina de Caza | Calle Martí 1 | sandino | lunes")
    assert "Horario:" in office_of(client.get("/tramites/permiso-de-caza/"))


def test_news_in_english_says_its_text_is_in_spanish(webmaster, client):
    create_news(webmaster)
    assert "The text of this news item is in Spanish." in page_text(client.get(english("/noticias/feria-del-libro-en-guane/")))
    assert "está en español" not in page_text(client.get("/noticias/feria-del-libro-en-guane/"))


def field_error(response, field):
    """The message shown on one field of a form."""
    found = re.search(rf'<p class="error-message" id="{field}-error">(.*?)</p>', response.get_data(as_text=True), re.S)
    return found.group(1).replace("&#34;", '"').replace("&#39;", "'") if found else ""


@pytest.mark.parametrize("collection, field, value, message", [
    ("procedures", "topic", "no-existe", "No hay ningún tema con esta dirección (slug): no-existe."),
    ("procedures", "entity", "no-existe", "No hay ninguna entidad con esta dirección (slug): no-existe."),
    ("procedures", "related", "carne-identidad\nno-existe", "No hay ningún trámite con esta dirección (slug): no-existe."),
    ("procedures", "municipalities", "guane\natlantida", "No hay ningún municipio con esta dirección (slug): atlantida."),
    ("procedures", "offices", "Oficina | Calle 1 | atlantida | lunes", "No hay ningún municipio con esta dirección (slug): atlantida."),
    ("procedures", "popularity", "-3", "Escriba un número entero, 0 o mayor."),
    ("guides", "steps", "cambio-domicilio | y | \nno-existe | o | nota", "No hay ningún trámite con esta dirección (slug): no-existe."),
    ("entities", "topics", "salud\nno-existe", "No hay ningún tema con esta dirección (slug): no-existe."),
    ("news", "municipality", "atlantida", "No hay ningún municipio con esta dirección (slug): atlantida."),
    ("notices", "entity", "no-existe", "No hay ninguna entidad con esta dirección (slug): no-existe."),
    ("pages", "topic", "no-existe", "No hay ningún tema con esta dirección (slug): no-existe."),
])
def test_the_editor_refuses_references_to_what_does_not_exist_on_the_field(app, webmaster, collection, field, value,
                                                                           message):
    slug = {"procedures": "carne-identidad", "guides": "mudarse-de-casa", "entities": "direccion-salud"}.get(collection)
    slug = slug or first_slug(app, collection)
    before = webmaster.get(edit_address(app, collection, slug)).get_data(as_text=True)
    response = resave(webmaster, edit_address(app, collection, slug), **{field: value})
    assert response.status_code == 400
    assert message in field_error(response, field)
    assert webmaster.get(edit_address(app, collection, slug)).get_data(as_text=True).count(value.split("\n")[-1]) \
        == before.count(value.split("\n")[-1])  # nothing was saved


def test_the_editor_speaks_english_to_an_english_webmaster(app, webmaster):
    webmaster.get("/admin/?lang=en")
    response = resave(webmaster, edit_address(app, "procedures", "carne-identidad"), topic="no-existe", popularity="-1")
    assert "There is no topic with this address (slug): no-existe." in field_error(response, "topic")
    assert "Write a whole number, 0 or more." in field_error(response, "popularity")


def test_a_form_opened_before_a_rename_saves_with_the_new_slug(app, webmaster, client):
    guide = edit_address(app, "guides", "mudarse-de-casa")
    opened = webmaster.get(guide).get_data(as_text=True)
    resave(webmaster, edit_address(app, "procedures", "cambio-domicilio"), slug="cambio-de-direccion")

    values = dict(editor_fields(opened), accion="guardar", version=editor_fields(webmaster.get(guide).get_data(
        as_text=True))["version"])
    assert webmaster.post(guide, data=values).status_code == 303
    assert "/tramites/cambio-de-direccion/" in links_of(client.get("/guias/mudarse-de-casa/"))


def settings_saved(client, **changes):
    """Post the settings form as shown, with some fields changed."""
    values = editor_fields(client.get("/admin/ajustes").get_data(as_text=True))
    values.update(changes)
    return client.post("/admin/ajustes", data=values)


def test_settings_refuse_removing_a_municipality_that_content_uses_and_show_what_uses_it(app, webmaster):
    shown = editor_fields(webmaster.get("/admin/ajustes").get_data(as_text=True))["municipios"]
    without_guane = "\n".join(line for line in shown.splitlines() if not line.startswith("guane "))
    response = settings_saved(webmaster, municipios=without_guane)
    assert response.status_code == 400
    assert "No se puede quitar «Guane»" in field_error(response, "municipios")
    with app.app_context():
        news = next(n for n in content.all_documents("news") if n.get("municipality") == "guane")
    assert f'<a href="/admin/contenido/news/{news["id"]}/">{news["title"]["es"]}</a>' \
        in response.get_data(as_text=True)
    with open(app.config["DATA_DIR"] + "/site.json", encoding="utf-8") as handle:
        assert "guane" in handle.read()


def test_settings_remove_a_municipality_that_nothing_uses(app, webmaster):
    shown = editor_fields(webmaster.get("/admin/ajustes").get_data(as_text=True))["municipios"]
    assert settings_saved(webmaster, municipios=shown + "\nla-coloma | La Coloma").status_code == 303
    assert settings_saved(webmaster, municipios=shown).status_code == 303
    with open(app.config["DATA_DIR"] + "/site.json", encoding="utf-8") as handle:
        assert "la-coloma" not in handle.read()


@pytest.mark.parametrize("line, message", [
    ("rojo = #ff0000", "«rojo» no es un color de la paleta."),
    ("link = azul", "«azul» no es un color: escríbalo como #rrggbb"),
    ("link #0a4f8c", "escriba «nombre = #rrggbb»"),
])
def test_settings_refuse_colours_that_are_not_the_palettes_on_the_field(app, webmaster, line, message):
    shown = editor_fields(webmaster.get("/admin/ajustes").get_data(as_text=True))["colores"]
    kept = [existing for existing in shown.splitlines() if not existing.startswith("link ")]
    response = settings_saved(webmaster, colores="\n".join(kept + [line]))
    assert response.status_code == 400
    assert message in field_error(response, "colores")


def test_settings_messages_speak_english_to_an_english_webmaster(webmaster):
    webmaster.get("/admin/?lang=en")
    shown = editor_fields(webmaster.get("/admin/ajustes").get_data(as_text=True))["colores"]
    response = settings_saved(webmaster, colores=shown + "\nrojo = #ff0000")
    assert "“rojo” is not a colour of the palette." in field_error(response, "colores")


def change_stored(app, collection, slug, **changes):
    """Change a stored document behind the editor's back (as a hand edit of the JSON would)."""
    with app.app_context():
        document = next(d for d in content.all_documents(collection) if d["slug"] == slug)
        content.update_document(collection, document["id"], changes)
    return document


def first_slug(app, collection):
    """The slug of the first stored document of a collection."""
    with app.app_context():
        return content.all_documents(collection)[0]["slug"]


def test_check_names_the_file_and_document_of_each_dangling_reference(app, runner):
    guide = change_stored(app, "guides", "mudarse-de-casa", steps=[{"procedure": "no-existe", "connector": "and"}])
    procedure = change_stored(app, "procedures", "carne-identidad", topic="sin-tema", entity="nadie",
                              related=["cambio-domicilio", "perdido"], municipalities=["atlantida"])
    entity = change_stored(app, "entities", "direccion-salud", topics=["salud", "fantasma"])
    news = change_stored(app, "news", first_slug(app, "news"), municipality="atlantida")
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1
    out = result.output
    assert (f"content/guides.json: document 5 (id '{guide['id']}', slug 'mudarse-de-casa'): "
            "'steps' names procedure 'no-existe', which does not exist") in out
    label = f"content/procedures.json: document 1 (id '{procedure['id']}', slug 'carne-identidad')"
    for problem in ("'topic' names topic 'sin-tema'", "'entity' names entity 'nadie'",
                    "'related' names procedure 'perdido'", "'municipalities' names municipality 'atlantida'"):
        assert f"{label}: {problem}, which does not exist" in out
    assert "'related' names procedure 'cambio-domicilio'" not in out
    assert (f"(id '{entity['id']}', slug 'direccion-salud'): 'topics' names topic 'fantasma', "
            "which does not exist") in out
    assert f"(id '{news['id']}', slug '{news['slug']}'): 'municipality' names municipality 'atlantida'" in out


def test_check_reports_references_to_content_in_the_trash(app, webmaster, runner):
    address = edit_address(app, "procedures", "cambio-domicilio")
    token = editor_fields(webmaster.get(address).get_data(as_text=True))["csrf_token"]
    webmaster.post(address + "papelera", data={"csrf_token": token})
    out = runner.invoke(args=["check"]).output
    assert "slug 'mudarse-de-casa'): 'steps' names procedure 'cambio-domicilio', which is in the trash" in out


def test_check_accepts_references_to_a_renamed_slug(app, webmaster, runner):
    resave(webmaster, edit_address(app, "procedures", "cambio-domicilio"), slug="cambio-de-direccion")
    change_stored(app, "guides", "mudarse-de-casa", steps=[{"procedure": "cambio-domicilio", "connector": "and"}])
    result = runner.invoke(args=["check"])
    assert result.exit_code == 0, result.output


def test_check_reports_negative_popularity_bad_costs_and_colours_off_the_palette(app, runner):
    procedure = change_stored(app, "procedures", "carne-identidad", popularity=-4, cost={"cup": "gratis"})
    with open(app.config["DATA_DIR"] + "/site.json", encoding="utf-8") as handle:
        site = json.load(handle)
    site["colours"]["rojo"] = "#ff0000"
    with open(app.config["DATA_DIR"] + "/site.json", "w", encoding="utf-8") as handle:
        json.dump(site, handle)
    out = runner.invoke(args=["check"]).output
    label = f"content/procedures.json: document 1 (id '{procedure['id']}', slug 'carne-identidad')"
    assert f"{label}: 'popularity' must be a whole number, 0 or more, found -4" in out
    assert f"{label}: 'cost.cup' must be an amount of 0 or more with two decimals at most, found 'gratis'" in out
    assert "site.json: colour 'rojo' is not one of the palette's (accent, background" in out


def test_renames_and_saves_at_the_same_time_neither_wait_forever_nor_lose_a_reference(app):
    import threading
    from redpinar.store.editing import save_content
    with app.app_context():
        procedure = next(p for p in content.all_documents("procedures") if p["slug"] == "cambio-domicilio")
        guide = next(g for g in content.all_documents("guides") if g["slug"] == "mudarse-de-casa")
    failures = []

    def rename():
        try:
            with app.app_context():
                for number in range(10):
                    save_content("procedures", {"slug": f"cambio-domicilio-{number}"}, "webmaster", procedure["id"])
        except Exception as error:  # reported below
            failures.append(error)

    def edit_guide():
        try:
            with app.app_context():
                for number in range(10):
                    save_content("guides", {"slug": "mudarse-de-casa", "summary": {"es": f"Versión {number}", "en": ""}},
                                 "webmaster", guide["id"])
        except Exception as error:  # reported below
            failures.append(error)

    workers = [threading.Thread(target=rename), threading.Thread(target=edit_guide)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert not any(worker.is_alive() for worker in workers) and not failures
    with app.app_context():
        steps = next(g for g in content.all_documents("guides") if g["slug"] == "mudarse-de-casa")["steps"]
    assert steps[1]["procedure"] == "cambio-domicilio-9"
