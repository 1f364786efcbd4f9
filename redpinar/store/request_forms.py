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
import json
import os
import re

from tinydb import Query

from . import NotFound, db
from .paths import data_path

SCHEMA = 1
EXAMPLE_AUTHOR = "ejemplo"
KEY = re.compile(r"^[a-z0-9_]{1,40}$")
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


def question_problems(questions):
    """What is wrong with a list of questions in the format above (empty when fine), in English."""
    if not isinstance(questions, list):
        return ["the questions are not a list"]
    problems, keys = [], set()
    for number, question in enumerate(questions, 1):
        if not isinstance(question, dict):
            problems.append(f"question {number} is not an object")
            continue
        key, kind = question.get("key"), question.get("type")
        if not isinstance(key, str) or not KEY.match(key) or key in keys:
            problems.append(f"question {number}: the key {key!r} is not [a-z0-9_]{{1,40}} or is used twice")
        keys.add(key)
        if kind not in QUESTION_TYPES:
            problems.append(f"question {number}: unknown type {kind!r}")
        if not isinstance(question.get("label"), dict) or not str(question["label"].get("es") or "").strip():
            problems.append(f"question {number}: no Spanish label")
        options = question.get("options")
        if kind in ("choice", "choices") and not (isinstance(options, list) and 2 <= len(options) <= 30
                                                 and all(isinstance(option, dict) and option.get("es")
                                                         for option in options)):
            problems.append(f"question {number}: a choice needs 2 to 30 options, each with Spanish text")
        max_mb = question.get("max_mb")
        if kind == "file" and (not isinstance(max_mb, int) or isinstance(max_mb, bool) or max_mb < 1):
            problems.append(f"question {number}: a file question needs 'max_mb', a whole number of MB, 1 or more")
    return problems


def load_example_forms(path):
    """Publish the example province's forms (a JSON list of {procedure, questions}) unless already there.

    Returns how many versions it saved; a second load of the same examples saves none.
    """
    if not os.path.isfile(path):
        return 0
    with open(path, encoding="utf-8") as handle:
        examples = json.load(handle)
    saved = 0
    for example in examples:
        problems = question_problems(example.get("questions"))
        if problems:
            raise ValueError(f"{example.get('procedure')!r}: {'; '.join(problems)}")
        versions = form_versions(example["procedure"])
        if versions and versions[-1]["questions"] == example["questions"]:
            continue
        save_form(example["procedure"], example["questions"], EXAMPLE_AUTHOR)
        saved += 1
    return saved


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
