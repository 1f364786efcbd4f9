"""Splitting long lists into numbered pages."""
import math

PER_PAGE = 10
# Far past any list the portal holds; bigger numbers would overflow SQLite's integers in a search.
LAST_PAGE_NUMBER = 100_000


class Page:
    """One page of a list: its items and where it stands among the pages."""

    def __init__(self, items, number, per_page=PER_PAGE):
        self.total = len(items)
        self.pages = max(1, math.ceil(self.total / per_page))
        self.number = min(max(1, number), self.pages)
        start = (self.number - 1) * per_page
        self.items = items[start:start + per_page]

    @property
    def previous(self):
        """The number of the page before, or None."""
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self):
        """The number of the page after, or None."""
        return self.number + 1 if self.number < self.pages else None


def page_number(raw):
    """A page number from the query string; anything odd means page 1, anything huge the last there can be."""
    try:
        return min(max(1, int(raw)), LAST_PAGE_NUMBER)
    except (TypeError, ValueError):
        return 1
