"""Online request forms, built by the webmaster per procedure, kept in every version.

data/requests/forms.json holds one document per procedure and version (schema 1):
    id          "<procedure slug>@<version>"
    procedure   the procedure's slug
    version     1, 2, 3…: saving a form adds a version and never changes an earlier one,
                so a request always shows the questions as they were asked
    questions   ordered list of questions:
        key       [a-z0-9_]{1,40}, unique in the form: the answer's key
        type      one of QUESTION_TYPES
        label     {"es": ..., "en": ...}
        hint      {"es": ..., "en": ...}
        required  true or false
        options   [{"es": ..., "en": ...}, ...] for "choice" and "choices"
        max_mb    the largest file, in MB, for "file"
    author      the webmaster's user name
A procedure takes online requests when its content document has `"online": true` and a form.
"""
from tinydb import Query

from . import NotFound, db
from .paths import data_path

SCHEMA = 1
QUESTION_TYPES = ("short_text", "long_text", "number", "date", "choice", "choices", "yes_no", "id_card",
                  "email", "phone", "address", "file", "declaration")


def forms_path():
    """The file that holds every version of every request form."""
    return data_path("requests", "forms.json")


def _versions(tinydb, procedure):
    return sorted(tinydb.search(Query().procedure == procedure), key=lambda form: form["version"])


def latest_form(procedure):
    """The newest version of a procedure's form, or NotFound."""
    with db.reading(forms_path()) as tinydb:
        versions = _versions(tinydb, procedure)
    if not versions:
        raise NotFound(procedure)
    return versions[-1]


def form_version(procedure, version):
    """One version of a procedure's form, or NotFound."""
    with db.reading(forms_path()) as tinydb:
        found = tinydb.get(Query().id == f"{procedure}@{version}")
    if found is None:
        raise NotFound(f"{procedure}@{version}")
    return found


def form_versions(procedure):
    """Every version of a procedure's form, oldest first."""
    with db.reading(forms_path()) as tinydb:
        return _versions(tinydb, procedure)


def form_slug(procedure_document):
    """The slug a procedure's forms are kept under: its slug, or an earlier slug its forms were made under.

    Versions are never rewritten, so a procedure whose address changed keeps its forms under the
    slug it had when its first form was saved; every later version goes there too.
    """
    slugs = [procedure_document.get("slug", ""), *sorted(procedure_document.get("old_slugs", []))]
    with db.reading(forms_path()) as tinydb:
        for slug in slugs:
            if slug and tinydb.contains(Query().procedure == slug):
                return slug
    return procedure_document.get("slug", "")


def has_published_form(procedure_document):
    """True when the procedure has at least one published form version."""
    slug = form_slug(procedure_document)
    with db.reading(forms_path()) as tinydb:
        return bool(slug) and tinydb.contains(Query().procedure == slug)


def save_form(procedure, questions, author):
    """Store the questions as the procedure's next form version; returns the new document."""
    with db.transaction(forms_path()) as tinydb:
        versions = _versions(tinydb, procedure)
        version = versions[-1]["version"] + 1 if versions else 1
        document = db.stamp_new({"id": f"{procedure}@{version}", "procedure": procedure, "version": version,
                                 "questions": list(questions), "author": author}, schema=SCHEMA)
        tinydb.insert(document)
    return document
