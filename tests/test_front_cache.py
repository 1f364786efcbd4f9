"""Kept pages answered in front of Flask: the same bytes and headers, fresh content, never a webmaster's."""
import json
import os
import time

import pytest
from werkzeug.test import Client
from werkzeug.wrappers import Response

from redpinar import frontcache
from redpinar.store import content
from redpinar.store.paths import collection_path
from tests.language import english
from tests.participation_helpers import log_in


def front(app):
    """The layer in front of the app."""
    return app.extensions["redpinar_front"]


def flask_path(app):
    """A client of the app behind the layer: every request goes through Flask."""
    return Client(front(app).wsgi_app, Response)


def without_date(headers):
    return sorted((name, value) for name, value in headers.items() if name != "Date")


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_a_kept_page_from_the_layer_is_the_flask_answer(app, client, encoding):
    headers = {"Accept-Encoding": encoding}
    for page in ("/", "/noticias/", "/buscar?q=licencia", "/robots.txt"):
        client.get(page, headers=headers)  # through Flask, kept by the layer
        served = front(app).served
        from_layer = client.get(page, headers=headers)
        assert front(app).served == served + 1, page
        from_flask = flask_path(app).get(page, headers=headers)
        assert from_layer.status_code == from_flask.status_code == 200
        assert from_layer.get_data() == from_flask.get_data(), page
        assert without_date(from_layer.headers) == without_date(from_flask.headers), page
        if page != "/robots.txt":  # too small to be worth compressing
            assert ("Content-Encoding" in from_layer.headers) == (encoding == "gzip")


def test_the_layer_answers_304_as_flask_does(app, client):
    headers = {"Accept-Encoding": "gzip"}
    etag = client.get("/noticias/", headers=headers).headers["ETag"]
    served = front(app).served
    conditional = dict(headers, **{"If-None-Match": etag})
    from_layer = client.get("/noticias/", headers=conditional)
    from_flask = flask_path(app).get("/noticias/", headers=conditional)
    assert front(app).served == served + 1
    assert from_layer.status_code == from_flask.status_code == 304
    assert from_layer.get_data() == b""
    assert without_date(from_layer.headers) == without_date(from_flask.headers)


def test_a_head_request_gets_the_headers_without_the_body(app, client):
    full = client.get("/noticias/")
    head = client.head("/noticias/")
    assert head.get_data() == b""
    assert without_date(head.headers) == without_date(full.headers)


def test_a_content_change_shows_at_once(app, client):
    client.get("/noticias/")
    served = front(app).served
    before = client.get("/noticias/").get_data(as_text=True)
    assert front(app).served == served + 1
    with app.app_context():
        shown = next(news for news in content.all_documents("news") if news["title"]["es"] in before)
        content.update_document("news", shown["id"], {"title": {"es": "Titular cambiado ahora mismo",
                                                                "en": "Changed"}})
    assert "Titular cambiado ahora mismo" in client.get("/noticias/").get_data(as_text=True)


def test_a_new_minute_gives_a_new_page(app, client, monkeypatch):
    client.get("/")
    served = front(app).served
    client.get("/")
    assert front(app).served == served + 1

    class OneMinuteLater:
        """The clock of the layer, a minute ahead."""

        def time(self):
            return time.time() + 60

        def monotonic(self):
            return time.monotonic() + 60

    monkeypatch.setattr("redpinar.frontcache.time", OneMinuteLater())
    client.get("/")
    assert front(app).served == served + 1


def test_a_webmasters_request_never_gets_a_kept_page(app, client):
    client.get("/")
    client.get("/")
    served = front(app).served
    log_in(app, client)
    response = client.get("/")
    assert front(app).served == served
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("private")


def test_a_session_holding_only_a_form_token_still_gets_kept_pages(app, client):
    client.get("/participa/")
    client.get("/")
    served = front(app).served
    client.get("/")
    assert front(app).served == served + 1


def test_the_old_language_cookie_gets_the_kept_page_of_the_address(app, client):
    client.set_cookie("lang", "en")
    client.get("/")
    served = front(app).served
    spanish = client.get("/")
    assert front(app).served == served + 1
    assert 'lang="es"' in spanish.get_data(as_text=True)


def test_each_language_address_gets_its_own_page_whatever_the_browser_asks(app, client):
    spanish = client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    english_page = client.get(english("/"), headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert 'lang="es"' in spanish and 'lang="en"' in english_page
    client.get("/")
    served = front(app).served
    assert client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True) == spanish
    assert client.get(english("/"), headers={"Accept-Language": "en"}).get_data(as_text=True) == english_page
    assert front(app).served == served + 2, "each address is kept once, for every browser language"


def test_a_change_written_by_another_process_shows_within_the_check_interval(app, client):
    client.get("/noticias/")
    before = client.get("/noticias/").get_data(as_text=True)
    with app.app_context():
        path = collection_path("news")
        shown = next(news for news in content.all_documents("news") if news["title"]["es"] in before)
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    # As another waitress process writes: a new file put in place, nothing said to this process.
    title = shown["title"]["es"]
    changed = text.replace(json.dumps(title, ensure_ascii=False)[1:-1], "Titular escrito por otro proceso")
    changed = changed.replace(json.dumps(title)[1:-1], "Titular escrito por otro proceso")
    assert changed != text
    with open(path + ".other", "w", encoding="utf-8") as handle:
        handle.write(changed)
    os.replace(path + ".other", path)
    time.sleep(frontcache.CHECK_SECONDS * 2)
    assert "Titular escrito por otro proceso" in client.get("/noticias/").get_data(as_text=True)
