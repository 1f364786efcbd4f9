"""Views of the public pages."""
from flask import render_template

from ..store.content import all_documents
from . import bp


@bp.route("/")
def home():
    """The home page: the province, its topics and its municipalities."""
    return render_template("public/home.html", topics=all_documents("topics"))


@bp.route("/robots.txt")
def robots():
    """Crawlers may read everything public, never the panel."""
    return "User-agent: *\nDisallow: /admin/\n", 200, {"Content-Type": "text/plain; charset=utf-8"}
