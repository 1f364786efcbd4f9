"""References between documents: which field names what, and keeping them whole.

Documents name each other by slug (readable JSON, the same words as the public addresses and
filters). A rename rewrites every reference to the old slug in the same store call, and lookups
also follow a document's `old_slugs`, so a reference that was not rewritten (a citizen's message,
a version brought back from the history) still finds its document.
"""
from .content import COLLECTIONS

# (collection, field, what it names, shape): "one" is a slug, "many" a list of slugs,
# "steps" a guide's steps ({"procedure": slug}), "offices" a procedure's offices ({"municipality": slug}).
REFERENCES = (
    ("procedures", "topic", "topics", "one"),
    ("procedures", "entity", "entities", "one"),
    ("procedures", "responsible_entity", "entities", "one"),
    ("procedures", "related", "procedures", "many"),
    ("procedures", "municipalities", "municipalities", "many"),
    ("procedures", "offices", "municipalities", "offices"),
    ("guides", "topic", "topics", "one"),
    ("guides", "steps", "procedures", "steps"),
    ("entities", "topics", "topics", "many"),
    ("entities", "municipality", "municipalities", "one"),
    ("news", "topic", "topics", "one"),
    ("news", "municipality", "municipalities", "one"),
    ("notices", "entity", "entities", "one"),
    ("notices", "municipality", "municipalities", "one"),
    ("events", "municipality", "municipalities", "one"),
    ("pages", "topic", "topics", "one"),
)
_ITEM_KEY = {"steps": "procedure", "offices": "municipality"}


def referring_collections(target):
    """The collections whose documents may name a document of `target`, in lock order."""
    return sorted({collection for collection, _field, named, _shape in REFERENCES if named == target},
                  key=COLLECTIONS.index)


def references_of(collection, document):
    """[(field, target, slug)] of every non-empty reference a document makes."""
    found = []
    for referring, field, target, shape in REFERENCES:
        if referring != collection:
            continue
        value = document.get(field)
        if shape == "one":
            slugs = [value] if isinstance(value, str) and value else []
        elif shape == "many":
            slugs = [slug for slug in value if isinstance(slug, str) and slug] if isinstance(value, list) else []
        else:
            items = value if isinstance(value, list) else []
            slugs = [item.get(_ITEM_KEY[shape]) for item in items
                     if isinstance(item, dict) and isinstance(item.get(_ITEM_KEY[shape]), str)
                     and item.get(_ITEM_KEY[shape])]
        found.extend((field, target, slug) for slug in slugs)
    return found


def rename_in(collection, document, target, old, new):
    """Rewrite a document's references to `old` (a slug of `target`) as `new`; True when it changed."""
    changed = False
    for referring, field, named, shape in REFERENCES:
        if referring != collection or named != target:
            continue
        value = document.get(field)
        if shape == "one" and value == old:
            document[field], changed = new, True
        elif shape == "many" and isinstance(value, list) and old in value:
            document[field], changed = [new if slug == old else slug for slug in value], True
        elif shape in _ITEM_KEY and isinstance(value, list):
            key = _ITEM_KEY[shape]
            for item in value:
                if isinstance(item, dict) and item.get(key) == old:
                    item[key], changed = new, True
    return changed


def dangling(collection, document, known):
    """{field: (target, [slugs])} of references that name nothing; known is {target: set of slugs}."""
    missing = {}
    for field, target, slug in references_of(collection, document):
        if target in known and slug not in known[target]:
            slugs = missing.setdefault(field, (target, []))[1]
            if slug not in slugs:
                slugs.append(slug)
    return missing


def documents_naming(target, slug):
    """[(collection, document)] of the documents (not in the trash) that name `slug` of `target`."""
    from .content import all_documents
    found = []
    for collection in referring_collections(target):
        for document in all_documents(collection):
            if not document.get("deleted") and any(
                    named == target and named_slug == slug for _field, named, named_slug in references_of(collection, document)):
                found.append((collection, document))
    return found
