"""Driving the panel's editor the way a browser does: every field of the form, as it was shown."""
from html.parser import HTMLParser

from redpinar.store import content


class _FormFields(HTMLParser):
    """The values a browser would send for the first form with method="post" and class="editor"."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values, self._inside, self._textarea, self._select, self._done = {}, False, None, None, False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and "editor" in (attributes.get("class") or "") and not self._done:
            self._inside = True
        if not self._inside:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self.values[name] = attributes.get("value") or "y"
            elif kind not in ("submit", "file"):
                self.values[name] = attributes.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self.values[self._select] = attributes.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._inside:
            self._inside, self._done = False, True

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def editor_fields(html):
    """{name: value} of the editor form on a page, as a browser would submit it unchanged."""
    parser = _FormFields()
    parser.feed(html)
    values = parser.values
    # A browser drops the first newline of a textarea's content, which the template writes.
    for name, value in values.items():
        for newline in ("\r\n", "\n"):
            if value.startswith(newline):
                values[name] = value[len(newline):]
                break
    return values


def document_id(app, collection, slug):
    """The id of the document with this slug."""
    with app.app_context():
        return next(document["id"] for document in content.all_documents(collection) if document["slug"] == slug)


def edit_address(app, collection, slug):
    """The panel address of a document's editor."""
    return f"/admin/contenido/{collection}/{document_id(app, collection, slug)}/"


def resave(client, address, **changes):
    """Open the editor at address, change some fields, save; returns the response of the post."""
    values = editor_fields(client.get(address).get_data(as_text=True))
    values.update(changes, accion="guardar")
    return client.post(address, data=values)
