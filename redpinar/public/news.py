"""News and public notices."""
from flask import render_template, request

from ..pagecache import query_parameters
from ..pagination import Page, page_number
from ..store import catalogue
from . import bp
from .filters import municipality_filter, topic_filter


@bp.route("/noticias/")
@query_parameters("tema", "municipio", "pagina")
def news():
    """News, newest first, by pages, filtered by topic and municipality."""
    topic, municipality = topic_filter(), municipality_filter()
    page = Page(catalogue.news(topic=topic, municipality=municipality), page_number(request.args.get("pagina")))
    return render_template("public/news_list.html", page=page, topics=catalogue.topics(),
                           chosen={"tema": topic, "municipio": municipality})


@bp.route("/noticias/<slug>/")
def news_item(slug):
    """One news item."""
    item = catalogue.by_slug("news", slug)
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
