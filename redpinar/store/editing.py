"""The webmaster's changes to content: versions checked, previous versions kept, nothing lost."""
import contextlib
import copy

from tinydb import Query

from . import db
from .references import referring_collections, rename_in
from .errors import InvalidName, NotFound, StoreError
from .paths import collection_path, data_path

SLUG_CHARACTERS = set("abcdefghijklmnopqrstuvwxyz0123456789-")


class EditConflict(Exception):
    """Someone saved the document after this form was opened."""

    def __init__(self, current):
        self.current = current
        super().__init__("the document changed since it was opened")


class SlugTaken(InvalidName):
    """Another document of the collection already uses this slug."""


class NotInTrash(StoreError):
    """Only a document already in the trash can be deleted for good."""


def revisions_path(collection):
    """data/revisions/<collection>.json: every earlier version of the collection's documents."""
    collection_path(collection)  # checks the name
    return data_path("revisions", collection + ".json")


def _check_slug(tinydb, slug, document_id):
    if not slug or not set(slug) <= SLUG_CHARACTERS or slug.startswith("-") or len(slug) > 100:
        raise InvalidName(slug)
    for other in tinydb.all():
        if other.get("id") != document_id and (other.get("slug") == slug or slug in other.get("old_slugs", [])):
            raise SlugTaken(slug)


def _keep_revision(collection, previous, actor):
    with db.transaction(revisions_path(collection)) as tinydb:
        tinydb.insert(db.stamp_new({"document": previous["id"], "by": actor, "snapshot": previous}))


def _open_for_save(stack, collection):
    """Transactions on the collection and on every collection that may name its documents.

    All are taken in one fixed order (COLLECTIONS), so two saves never wait for each other in a circle.
    """
    from .content import COLLECTIONS
    names = sorted({collection, *referring_collections(collection)}, key=COLLECTIONS.index)
    return {name: stack.enter_context(db.transaction(collection_path(name))) for name in names}


def _rename_references(opened, target, old, new, actor):
    """Point every reference to a renamed document at its new slug (the earlier versions are kept)."""
    renamed = []
    for collection, tinydb in opened.items():
        for stored in tinydb.all():
            document = copy.deepcopy(dict(stored))
            if rename_in(collection, document, target, old, new):
                _keep_revision(collection, dict(stored), actor)
                document["updated"] = db.utc_now()
                document["version"] = stored.get("version", 1) + 1
                document["edited_by"] = actor
                tinydb.update(lambda kept, document=document: (kept.clear(), kept.update(document)),
                              Query().id == document["id"])
                renamed.append((collection, document["id"]))
    return renamed


def save_content(collection, fields, actor, document_id=None, expected_version=None):
    """Create or update a document; the previous version goes to the revisions first.

    A new slug is written into every document that named the old one, under the same locks.
    """
    from .content import with_rendered_text
    fields = with_rendered_text(fields)
    with contextlib.ExitStack() as stack:
        opened = _open_for_save(stack, collection)
        tinydb = opened[collection]
        if document_id is None:
            _check_slug(tinydb, fields.get("slug"), None)
            document = db.stamp_new(dict(fields, version=1, edited_by=actor))
            tinydb.insert(document)
            return document
        current = tinydb.get(Query().id == document_id)
        if current is None:
            raise NotFound(f"{collection}/{document_id}")
        if expected_version and str(current.get("version", 1)) != str(expected_version):
            raise EditConflict(dict(current))
        _check_slug(tinydb, fields.get("slug"), document_id)
        updated = copy.deepcopy(dict(current))
        updated.update(fields)
        if current.get("slug") and current["slug"] != updated.get("slug"):
            # The old address keeps working: it answers with a permanent redirect.
            updated["old_slugs"] = sorted(set(current.get("old_slugs", [])) | {current["slug"]})
        updated["updated"] = db.utc_now()
        updated["version"] = current.get("version", 1) + 1
        updated["edited_by"] = actor
        _keep_revision(collection, dict(current), actor)
        tinydb.update(lambda stored: (stored.clear(), stored.update(updated)), Query().id == document_id)
        if current.get("slug") and current["slug"] != updated.get("slug"):
            _rename_references(opened, collection, current["slug"], updated["slug"], actor)
        return updated


def set_deleted(collection, document_id, actor, deleted):
    """Move a document to the trash (or take it out); the trash keeps it whole."""
    def change(document):
        if deleted:
            document["deleted"] = db.utc_now()
        else:
            document.pop("deleted", None)
    return _change(collection, document_id, actor, change)


def _change(collection, document_id, actor, change):
    with db.transaction(collection_path(collection)) as tinydb:
        current = tinydb.get(Query().id == document_id)
        if current is None:
            raise NotFound(f"{collection}/{document_id}")
        _keep_revision(collection, dict(current), actor)
        updated = copy.deepcopy(dict(current))
        change(updated)
        updated["updated"] = db.utc_now()
        updated["edited_by"] = actor
        updated["version"] = current.get("version", 1) + 1
        tinydb.update(lambda stored: (stored.clear(), stored.update(updated)), Query().id == document_id)
        return updated


def revisions(collection, document_id):
    """Earlier versions of a document, newest first."""
    with db.reading(revisions_path(collection)) as tinydb:
        found = tinydb.search(Query().document == document_id)
    return sorted(found, key=lambda revision: revision["created"], reverse=True)


def restore_revision(collection, document_id, revision_id, actor):
    """Bring back an earlier version (the current one becomes a revision in turn)."""
    with db.reading(revisions_path(collection)) as tinydb:
        revision = tinydb.get((Query().id == revision_id) & (Query().document == document_id))
    if revision is None:
        raise NotFound(revision_id)
    kept = ("id", "created", "updated", "schema", "old_slugs", "version", "edited_by")
    snapshot = {key: value for key, value in revision["snapshot"].items() if key not in kept}

    def change(document):
        if document.get("slug") and document["slug"] != snapshot.get("slug"):
            document["old_slugs"] = sorted(set(document.get("old_slugs", [])) | {document["slug"]})
        document.update(snapshot)
        for key in list(document):
            if key not in snapshot and key not in kept:
                del document[key]
    return _change(collection, document_id, actor, change)


def trashed_documents(collections):
    """(collection, document) of every document in the trash, most recently deleted first."""
    found = []
    for collection in collections:
        with db.reading(collection_path(collection)) as tinydb:
            found += [(collection, dict(document)) for document in tinydb.all() if document.get("deleted")]
    return sorted(found, key=lambda pair: pair[1]["deleted"], reverse=True)


def delete_for_good(collection, document_id):
    """Remove a document in the trash and its earlier versions; it cannot come back. The removed document."""
    with db.transaction(collection_path(collection)) as tinydb:
        current = tinydb.get(Query().id == document_id)
        if current is None:
            raise NotFound(f"{collection}/{document_id}")
        if not current.get("deleted"):
            raise NotInTrash(f"{collection}/{document_id}")
        # The versions go first: a crash in between leaves the document in the trash, never orphaned versions.
        with db.transaction(revisions_path(collection)) as revisions_db:
            revisions_db.remove(Query().document == document_id)
        tinydb.remove(Query().id == document_id)
        return dict(current)
