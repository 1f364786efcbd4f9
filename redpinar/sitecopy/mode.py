"""What a page rendered for a copy of the site knows: the copy's date, how far back news goes.

The exporter asks the application itself for every page, with a CopyOptions in the WSGI environ.
No HTTP header can reach that key (headers arrive as HTTP_*), so a visitor never gets a copy's page.
"""
from datetime import date, timedelta
from typing import NamedTuple

from flask import g, request

ENVIRON_KEY = "redpinar.site_copy"
DAYS_PER_MONTH = 30.44


class CopyOptions(NamedTuple):
    """The date the copy is made, and the earliest date of the news it holds."""

    made: date
    news_since: date


def options_for(today, news_months):
    """The options of a copy made today holding news_months months of news."""
    return CopyOptions(today, today - timedelta(days=round(news_months * DAYS_PER_MONTH)))


def copy_options():
    """The options of the copy this page is rendered for, or None on the live site."""
    return g.get("site_copy")


def news_in_copy(news):
    """The news a page shows: on the live site all of it, in a copy those since its first date."""
    options = copy_options()
    if options is None:
        return news
    since = options.news_since.isoformat()
    return [item for item in news if (item.get("published") or "")[:10] >= since]


def init_app(app):
    """Tell pages, and their templates as `site_copy`, when they are rendered for a copy."""

    @app.before_request
    def note_site_copy():
        g.site_copy = request.environ.get(ENVIRON_KEY)

    @app.context_processor
    def site_copy_context():
        return {"site_copy": g.get("site_copy")}
