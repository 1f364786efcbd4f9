"""Absolute links come from REDPINAR_PUBLIC_URL: a request naming another Host changes nothing anyone receives."""
import http.client
import re

import pytest
from icalendar import Calendar

from redpinar import config
from redpinar.urls import public_url
from tests.conftest import make_app
from tests.participation_helpers import sent_code, submit_message
from tests.public_content import load_known_content
from tests.test_inbox import mailbox  # noqa: F401 (a fixture: a local SMTP server)
from tests.test_server import start_server, stop, wait_until_serving

PUBLIC = "https://portal.pinar.example.cu"
EVIL = "evil.example"
# Every page that carries absolute links, as the whole province receives them.
ABSOLUTE_LINKS = ["/sitemap.xml", "/robots.txt", "/feeds/noticias.atom", "/feeds/avisos.atom",
                  "/feeds/eventos.atom", "/eventos.ics", "/eventos/serie-de-beisbol.ics", "/noticias/noticia-7/",
                  "/tramites/inscripcion-de-nacimiento/", "/"]


@pytest.fixture
def portal(data_dir):
    """The portal with its public address configured and the known content loaded."""
    app = make_app(data_dir, PUBLIC_URL=PUBLIC + "/")
    load_known_content(app)
    return app


def test_a_request_naming_another_host_changes_no_link_that_later_visitors_receive(portal):
    stranger, visitor = portal.test_client(), portal.test_client()
    for path in ABSOLUTE_LINKS:
        hostile = stranger.get(path, headers={"Host": EVIL})
        assert hostile.status_code == 200, path
        assert EVIL not in hostile.get_data(as_text=True), path
        later = visitor.get(path).get_data(as_text=True)
        assert EVIL not in later and "localhost" not in later, path


def test_sitemap_robots_feeds_and_calendars_link_to_the_public_address(portal):
    client = portal.test_client()
    sitemap = client.get("/sitemap.xml", headers={"Host": EVIL}).get_data(as_text=True)
    assert f"<loc>{PUBLIC}/noticias/noticia-7/</loc>" in sitemap
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in client.get("/robots.txt", headers={"Host": EVIL}).get_data(as_text=True)
    feed = client.get("/feeds/noticias.atom", headers={"Host": EVIL}).get_data(as_text=True)
    assert f'href="{PUBLIC}/noticias/noticia-7/"' in feed and f'href="{PUBLIC}/feeds/noticias.atom"' in feed
    [event] = Calendar.from_ical(client.get("/eventos/serie-de-beisbol.ics", headers={"Host": EVIL}).get_data()
                                 ).walk("VEVENT")
    assert str(event["URL"]) == f"{PUBLIC}/eventos/serie-de-beisbol/"
    assert str(event["UID"]).endswith("@portal.pinar.example.cu")


def test_og_url_and_the_printed_address_name_the_public_address(portal):
    client = portal.test_client()
    news = client.get("/noticias/noticia-7/?utm=x", headers={"Host": EVIL}).get_data(as_text=True)
    assert f'<meta property="og:url" content="{PUBLIC}/noticias/noticia-7/">' in news
    procedure = client.get("/tramites/inscripcion-de-nacimiento/", headers={"Host": EVIL}).get_data(as_text=True)
    assert f"{PUBLIC}/tramites/inscripcion-de-nacimiento/" in procedure


def test_the_email_to_a_citizen_links_to_the_public_address(data_dir, mailbox):  # noqa: F811
    app = make_app(data_dir, PUBLIC_URL=PUBLIC, SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port,
                   SMTP_FROM="portal@pinar.example.cu")
    serve = app.wsgi_app

    def from_a_stranger(environ, start_response):
        environ["HTTP_HOST"] = EVIL  # every request of this test names the stranger's host
        return serve(environ, start_response)

    app.wsgi_app = from_a_stranger
    citizen = app.test_client()
    code = sent_code(submit_message(citizen, respuesta="correo", correo="maria@example.cu"))
    receipt = citizen.get(f"/participa/recibo/{code}/").get_data(as_text=True)
    assert f"{PUBLIC}/seguimiento/" in receipt and EVIL not in receipt
    [(_recipients, content)] = mailbox.messages
    assert f"{PUBLIC}/seguimiento/" in content and EVIL not in content


def test_links_are_built_without_a_request_too(portal):
    with portal.app_context():  # a command that sends email has no request to take a host from
        assert public_url("participation.tracking") == f"{PUBLIC}/seguimiento/"
        assert public_url("public.event", slug="serie-de-beisbol", _anchor="lugar") == \
            f"{PUBLIC}/eventos/serie-de-beisbol/#lugar"


def test_without_a_public_address_links_use_the_address_the_server_listens_on(data_dir):
    app = make_app(data_dir, PUBLIC_URL=None, HOST="192.0.2.7", PORT=8181)
    assert app.config["PUBLIC_URL"] == "http://192.0.2.7:8181" and app.config["PUBLIC_URL_DERIVED"]
    robots = app.test_client().get("/robots.txt", headers={"Host": EVIL}).get_data(as_text=True)
    assert "Sitemap: http://192.0.2.7:8181/sitemap.xml" in robots


@pytest.mark.parametrize("address", ["portal.pinar.example.cu", "ftp://portal.example.cu", "https://",
                                     "https://portal.example.cu/?a=1", "https://user:pw@portal.example.cu"])
def test_a_public_address_that_is_no_web_address_stops_the_start(address):
    with pytest.raises(SystemExit, match="REDPINAR_PUBLIC_URL=.* is not valid"):
        config.load(environ={"REDPINAR_PUBLIC_URL": address})


def test_a_public_address_under_a_path_keeps_it():
    settings = config.load(environ={"REDPINAR_PUBLIC_URL": "https://www.pinar.gob.cu/portal/"})
    assert settings["PUBLIC_URL"] == "https://www.pinar.gob.cu/portal" and not settings["PUBLIC_URL_DERIVED"]


@pytest.mark.slow
def test_the_server_warns_when_no_public_address_is_set_and_ignores_the_host_header(data_dir):
    process, port = start_server(data_dir, REDPINAR_PUBLIC_URL="")
    try:
        wait_until_serving(process, port)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/robots.txt", headers={"Host": EVIL})
        robots = connection.getresponse().read().decode()
        connection.close()
    finally:
        _stdout, stderr = stop(process)
    assert f"Sitemap: http://127.0.0.1:{port}/sitemap.xml" in robots
    assert re.search(rf"WARNING .*REDPINAR_PUBLIC_URL is not set: .* link to http://127\.0\.0\.1:{port}", stderr)
