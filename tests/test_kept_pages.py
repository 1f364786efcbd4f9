"""Kept pages stay within their budget whatever query strings visitors make up."""
from redpinar.bounded import BoundedCache
from tests.conftest import make_app
from tests.language import english

PAGES = ("/temas/", "/guias/", "/avisos/", "/robots.txt")


def kept_pages(app):
    """The page cache of the app."""
    return app.extensions["redpinar_pages"]


def test_made_up_query_strings_leave_the_kept_pages_unchanged(app, client):
    for page in PAGES:
        assert client.get(page).status_code == 200
    pages = kept_pages(app)
    count, size = len(pages), pages.size
    assert count == len(PAGES)
    for number in range(4000):
        page = PAGES[number % len(PAGES)]
        response = client.get(page, query_string={"utm_source": f"campaign-{number}"})
        assert response.status_code == 200
    assert (len(pages), pages.size) == (count, size)
    # A parameter the page reads makes a page of its own, kept like the others.
    assert client.get("/noticias/", query_string={"pagina": "2"}).status_code == 200
    assert len(pages) == count + 1


def test_the_language_link_keeps_only_the_parameters_the_page_reads(client):
    page = client.get("/noticias/?ref=boletin&pagina=2").get_data(as_text=True)
    assert 'href="/en/noticias/?pagina=2" hreflang="en"' in page
    assert "ref=boletin" not in page


def test_the_parameters_a_page_reads_are_still_kept_apart(client):
    first = client.get("/noticias/?pagina=1").get_data(as_text=True)
    assert client.get("/noticias/?pagina=1").get_data(as_text=True) == first
    english_page = client.get(english("/noticias/?pagina=1")).get_data(as_text=True)
    assert english_page != first and 'lang="en"' in english_page


def test_many_searches_stay_under_the_byte_budget(data_dir):
    budget = 150_000
    app = make_app(data_dir, PAGE_CACHE_BYTES=budget)
    client = app.test_client()
    pages, compressed = kept_pages(app), app.extensions["redpinar_gzip"]
    for number in range(150):
        response = client.get("/buscar", query_string={"q": f"carnet {number}"},
                              headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200
    assert 0 < pages.size <= budget
    assert 0 < compressed.size <= budget // 4
    assert len(pages) < 150


def test_the_least_recently_used_go_first():
    cache = BoundedCache(budget_bytes=300, max_entries=10)
    for name in ("home", "news", "events"):
        cache.put(name, name.encode(), 100)
    assert cache.get("home") == b"home"
    cache.put("search", b"search", 100)
    assert cache.get("news") is None
    assert [cache.get(name) for name in ("home", "events", "search")] == [b"home", b"events", b"search"]
    cache.put("huge", b"x", 301)
    assert cache.get("huge") is None and cache.size == 300
