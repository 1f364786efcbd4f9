"""Home, topics, pages, search, robots.txt and the sitemap."""
from flask import current_app, render_template, request, url_for
from flask_babel import get_locale

from ..addresses import site_languages
from ..pagecache import query_parameters
from ..pagination import PER_PAGE, Page, page_number
from ..search import SEARCHABLE, QueryTooLong, highlighted, result_title
from ..sitecopy.mode import copy_options, news_in_copy
from ..store import NotFound, catalogue
from ..store.figures import published_questions
from ..urls import public_url
from . import bp


@bp.route("/")
def home():
    """Notices in force, latest news, next events, most used procedures and guides, topics."""
    return render_template(
        "public/home.html",
        notices=catalogue.notices()[:3],
        news=news_in_copy(catalogue.news())[:4],
        events=catalogue.upcoming_events()[:4],
        procedures=catalogue.popular_procedures(6),
        guides=catalogue.featured_guides(5),
        topics=catalogue.topics(),
    )


@bp.route("/temas/")
def topics():
    """Every topic."""
    return render_template("public/topics.html", topics=catalogue.topics())


@bp.route("/temas/<slug>/")
def topic(slug):
    """A topic: its procedures, guides, entities, news and pages."""
    topic = catalogue.by_slug("topics", slug)
    return render_template(
        "public/topic.html", topic=topic,
        procedures=catalogue.procedures(topic=slug),
        guides=[guide for guide in catalogue.documents("guides") if guide.get("topic") == slug],
        entities=catalogue.entities(topic=slug),
        # A copy of the site has no filtered news list to link to: the topic shows all its news.
        news=news_in_copy(catalogue.news(topic=slug))[:None if copy_options() else 5],
        pages=catalogue.pages(topic=slug),
        # Citizens' questions keep the topic slug they were sent with, from before any rename.
        questions=[question for name in [slug, *topic.get("old_slugs", [])] for question in published_questions(name)],
    )


@bp.route("/temas/<topic_slug>/<slug>/")
def page(topic_slug, slug):
    """A free-text page under a topic."""
    page = catalogue.by_slug("pages", slug)
    topic = catalogue.by_slug("topics", page.get("topic"))
    if topic["slug"] != topic_slug:
        return current_app.redirect(url_for("public.page", topic_slug=topic["slug"], slug=slug), 301)
    return render_template("public/page.html", page=page, topic=topic)


@bp.route("/buscar")
@query_parameters("q", "tipo", "pagina")
def search():
    """Accent- and case-insensitive search across everything public."""
    query = request.args.get("q", "").strip()
    kind = request.args.get("tipo", "")
    kind = kind if kind in SEARCHABLE else None
    too_long, total, found = False, 0, []
    number = page_number(request.args.get("pagina"))
    language = str(get_locale())
    index = current_app.extensions["redpinar_search"]
    if query:
        try:
            total, found = index.search(query, kind, language, offset=(number - 1) * PER_PAGE, limit=PER_PAGE)
            if total and not found:  # a page past the last: show the last one
                number = (total - 1) // PER_PAGE + 1
                total, found = index.search(query, kind, language, offset=(number - 1) * PER_PAGE, limit=PER_PAGE)
        except QueryTooLong:
            too_long = True
    page = Page([None] * total, number)
    page.items = []
    for result_kind, slug, snippet in found:
        collection, endpoint = SEARCHABLE[result_kind]
        try:
            document = catalogue.by_slug(collection, slug)
        except NotFound:  # removed since the index was built
            continue
        page.items.append({
            "kind": result_kind, "title": result_title(document, language),
            "url": url_for(endpoint, **_url_values(result_kind, document)),
            "snippet": highlighted(snippet),
        })
    return render_template("public/search.html", query=query, kind=kind, page=page,
                           too_long=too_long, kinds=list(SEARCHABLE))


def _url_values(kind, document):
    if kind == "paginas":
        return {"topic_slug": document.get("topic"), "slug": document["slug"]}
    return {"slug": document["slug"]}


@bp.route("/robots.txt")
def robots():
    """Crawlers may read everything public, never the panel."""
    sitemap = public_url("public.sitemap")
    return (f"User-agent: *\nDisallow: /admin/\nSitemap: {sitemap}\n", 200,
            {"Content-Type": "text/plain; charset=utf-8"})


@bp.route("/sitemap.xml")
def sitemap():
    """Every public page in every language, each with its alternates, for search engines."""
    endpoints = ["public.home", "public.topics", "public.procedures", "public.guides", "public.entities",
                 "public.news", "public.notices", "public.events"]
    if not copy_options():  # a copy cannot search
        endpoints.append("public.search")
    pages = [(endpoint, {}) for endpoint in endpoints]
    for kind, (collection, endpoint) in SEARCHABLE.items():
        documents = catalogue.documents(collection)
        for document in news_in_copy(documents) if collection == "news" else documents:
            pages.append((endpoint, _url_values(kind, document)))
    for topic in catalogue.topics():
        pages.append(("public.topic", {"slug": topic["slug"]}))
    languages = site_languages()
    addresses = []
    for endpoint, values in pages:
        versions = [(language, public_url(endpoint, _language=language, **values)) for language in languages]
        alternates = versions + [("x-default", versions[0][1])]
        addresses.extend((address, alternates) for _language, address in versions)
    body = render_template("public/sitemap.xml", addresses=addresses)
    return body, 200, {"Content-Type": "application/xml; charset=utf-8"}
