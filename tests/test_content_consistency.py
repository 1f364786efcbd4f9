"""Content stays consistent: renames keep references, the editor refuses what would break pages."""
import re
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from redpinar.store import content
from tests.editor_helpers import edit_address, resave
from tests.participation_helpers import log_in
from tests.test_content_editing import NEWS, create_news
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
