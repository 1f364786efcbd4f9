"""News and public notices."""
from flask import render_template, request

from ..pagecache import query_parameters
from ..pagination import PER_PAGE, Page, page_number
from ..sitecopy.mode import copy_options, news_in_copy
from ..store import NotFound, catalogue
from . import bp
from .filters import municipality_filter, topic_filter


@bp.route("/noticias/")
@query_parameters("tema", "municipio", "pagina")
def news():
    """News, newest first, by pages, filtered by topic and municipality."""
    topic, municipality = topic_filter(), municipality_filter()
    news = news_in_copy(catalogue.news(topic=topic, municipality=municipality))
    # A copy of the site has no ?pagina=: its one page holds the whole list.
    per_page = max(1, len(news)) if copy_options() else PER_PAGE
    page = Page(news, page_number(request.args.get("pagina")), per_page)
    return render_template("public/news_list.html", page=page, topics=catalogue.topics(),
                           chosen={"tema": topic, "municipio": municipality})


@bp.route("/noticias/<slug>/")
def news_item(slug):
    """One news item."""
    item = catalogue.by_slug("news", slug)
    if not news_in_copy([item]):
        raise NotFound(slug)  # older than the copy reaches back
    return render_template("public/news_item.html", item=item,
                           topic=catalogue.optional("topics", item.get("topic")))


@bp.route("/avisos/")
def notices():
    """Notices in force, and the archive of expired ones."""
    return render_template("public/notices.html", current=catalogue.notices(),
                           expired=catalogue.notices(current=False))


@bp.route("/avisos/<slug>/")
def notice(slug):
    """One public notice."""
    notice = catalogue.by_slug("notices", slug)
    return render_template("public/notice.html", notice=notice,
                           expired=notice in catalogue.notices(current=False))
