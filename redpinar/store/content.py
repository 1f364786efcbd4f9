"""Published content: one TinyDB file per collection under data/content/."""
from tinydb import Query

from ..text import render_markdown
from . import db
from .errors import NotFound
from .paths import collection_path

COLLECTIONS = ("topics", "entities", "procedures", "guides", "news", "notices", "events", "pages")
# Markdown fields; each is stored with its sanitised HTML beside it (`body` -> `body_html`).
MARKDOWN_FIELDS = ("body", "description", "who_may_apply")


def with_rendered_text(fields):
    """The fields plus safe HTML for each Markdown field: sanitised once, on write."""
    fields = dict(fields)
    for name in MARKDOWN_FIELDS:
        if isinstance(fields.get(name), str):
            fields[name + "_html"] = render_markdown(fields[name])
    return fields


def all_documents(collection):
    """Every document of a collection, in insertion order."""
    with db.reading(collection_path(collection)) as tinydb:
        return tinydb.all()


def find_documents(collection, **equals):
    """Documents whose fields equal the given values."""
    document = Query()
    condition = None
    for field, value in sorted(equals.items()):
        test = document[field] == value
        condition = test if condition is None else condition & test
    with db.reading(collection_path(collection)) as tinydb:
        return tinydb.search(condition) if condition is not None else tinydb.all()


def get_document(collection, document_id):
    """One document by its id, or NotFound."""
    with db.reading(collection_path(collection)) as tinydb:
        found = tinydb.get(Query().id == document_id)
    if found is None:
        raise NotFound(f"{collection}/{document_id}")
    return found


def insert_document(collection, fields):
    """Store a new document (id, created, updated, schema added) and return it."""
    document = db.stamp_new(with_rendered_text(fields))
    with db.transaction(collection_path(collection)) as tinydb:
        tinydb.insert(document)
    return document


def update_document(collection, document_id, changes):
    """Apply changes to one document, stamp `updated`, and return the new version."""
    changes = dict(with_rendered_text(changes), updated=db.utc_now())
    changes.pop("id", None)
    changes.pop("created", None)
    with db.transaction(collection_path(collection)) as tinydb:
        updated = tinydb.update(changes, Query().id == document_id)
        if not updated:
            raise NotFound(f"{collection}/{document_id}")
        return tinydb.get(Query().id == document_id)


def replace_collection(collection, documents):
    """Replace a whole collection in one atomic write (demo loading, restores)."""
    documents = [db.stamp_new(with_rendered_text(fields)) for fields in documents]
    with db.transaction(collection_path(collection)) as tinydb:
        tinydb.truncate()
        tinydb.insert_multiple(documents)
    return documents
