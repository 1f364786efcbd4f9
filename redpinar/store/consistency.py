"""`flask check`, the part about content: references that name nothing, and values pages cannot show."""
import os

from .. import theme
from .content import COLLECTIONS
from .offices import office_file_problems
from .references import dangling
from .storage import parse_json

SINGULAR = {"topics": "topic", "entities": "entity", "procedures": "procedure", "municipalities": "municipality"}


def _documents(root, collection):
    """[(key in the file, document)] of a content file; [] when it is missing or unreadable (reported elsewhere)."""
    try:
        with open(os.path.join(root, "content", collection + ".json"), "rb") as handle:
            raw = handle.read()
        tables = parse_json(raw) if raw.strip() else {}
    except (OSError, ValueError):
        return []
    table = tables.get("_default") if isinstance(tables, dict) else None
    if not isinstance(table, dict):
        return []
    return [(key, document) for key, document in table.items() if isinstance(document, dict)]


def _label(collection, key, document):
    return f"content/{collection}.json: document {key} (id {document.get('id')!r}, slug {document.get('slug')!r})"


def _whole_number_problem(document, field):
    value = document.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return f"'{field}' must be a whole number, 0 or more, found {value!r}"
    return None


def _cost_problem(document):
    cost = document.get("cost")
    amount = cost.get("cup") if isinstance(cost, dict) else None
    if amount is None:
        return None
    if isinstance(amount, bool) or not isinstance(amount, (int, float)) or amount < 0 or round(amount, 2) != amount:
        return f"'cost.cup' must be an amount of 0 or more with two decimals at most, found {amount!r}"
    return None


def _known(every, site):
    """({target: slugs a reference may name}, {target: slugs in the trash})."""
    known, trashed = {}, {}
    for target in ("topics", "entities", "procedures"):
        live = [document for _key, document in every[target] if not document.get("deleted")]
        # A slug from before a rename still finds its document, so it is not dangling.
        known[target] = {slug for document in live for slug in [document.get("slug"), *document.get("old_slugs", [])]}
        trashed[target] = {document.get("slug") for _key, document in every[target] if document.get("deleted")}
    known["municipalities"] = {municipality.get("slug") for municipality in site.get("municipalities", [])
                               if isinstance(municipality, dict)} if isinstance(site, dict) else set()
    trashed["municipalities"] = set()
    return known, trashed


def content_problems(root, site):
    """Problems of the content files, each naming the file and the document (id and slug)."""
    every = {collection: _documents(root, collection) for collection in COLLECTIONS}
    known, trashed = _known(every, site)
    problems = []
    for collection in COLLECTIONS:
        for key, document in every[collection]:
            found = []
            for field, (target, slugs) in dangling(collection, document, known).items():
                for slug in slugs:
                    state = "is in the trash" if slug in trashed[target] else "does not exist"
                    found.append(f"'{field}' names {SINGULAR[target]} {slug!r}, which {state}")
            if collection == "procedures":
                found += [problem for problem in (_whole_number_problem(document, "popularity"),
                                                  _whole_number_problem(document, "review_period_days"),
                                                  _cost_problem(document)) if problem]
            problems.extend(f"{_label(collection, key, document)}: {problem}" for problem in found)
    return problems


def office_problems(root, site):
    """Problems of the offices that take appointments: their values, and procedures, entities and municipalities
    that exist (a procedure's slug from before a rename still counts)."""
    path = os.path.join(root, "appointments", "offices.json")
    if not os.path.exists(path):
        return []
    every = {collection: _documents(root, collection) for collection in ("topics", "entities", "procedures")}
    return office_file_problems(path, _known(every, site)[0])


def unknown_colour_problems(site):
    """Colour names in site.json that the palette does not have (the pages would never use them)."""
    colours = site.get("colours") if isinstance(site, dict) else None
    if not isinstance(colours, dict):
        return []
    return [f"colour {name!r} is not one of the palette's ({', '.join(theme.COLOUR_NAMES)})"
            for name in sorted(colours) if name not in theme.COLOUR_NAMES]
