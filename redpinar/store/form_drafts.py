"""The working copy of a procedure's request form: what the webmaster edits before publishing a version.

data/requests/form-drafts.json holds at most one document per procedure (schema 1):
    id          the procedure's form slug (see request_forms.form_slug)
    procedure   the same slug
    questions   the ordered questions, in the format request_forms describes
    based_on    the published version the copy started from (None for a new form)
    author      who changed it last
A procedure without a document here has no unpublished changes: its working copy is its newest
version. Publishing stores the copy through request_forms.save_form and removes the document, in
one lock over the drafts file, so an edit made meanwhile is never lost.
"""
import re

from tinydb import Query

from ..text import fold_accents
from . import NotFound, db
from .errors import StoreError
from .paths import data_path
from .request_forms import QUESTION_TYPES, form_versions, save_form

SCHEMA = 1
MAX_QUESTIONS = 60
KEY_LENGTH = 30


class FormFull(StoreError):
    """The form already has MAX_QUESTIONS questions."""


class NothingToPublish(StoreError):
    """The working copy is the newest version already, or it has no questions."""


def form_drafts_path():
    """The file that holds the working copies of every procedure's form."""
    return data_path("requests", "form-drafts.json")


def _published_questions(procedure):
    versions = form_versions(procedure)
    return (versions[-1]["questions"], versions[-1]["version"]) if versions else ([], None)


def working_copy(procedure):
    """{questions, changed, based_on, author, updated}: the form as the webmaster is editing it."""
    with db.reading(form_drafts_path()) as tinydb:
        draft = tinydb.get(Query().id == procedure)
    if draft is not None:
        return {"questions": draft["questions"], "changed": True, "based_on": draft.get("based_on"),
                "author": draft.get("author", ""), "updated": draft.get("updated", "")}
    questions, version = _published_questions(procedure)
    return {"questions": questions, "changed": False, "based_on": version, "author": "", "updated": ""}


def _change(procedure, author, change):
    """Run change(questions) -> result on a copy of the working copy and store it, under one lock."""
    with db.transaction(form_drafts_path()) as tinydb:
        draft = tinydb.get(Query().id == procedure)
        if draft is None:
            questions, version = _published_questions(procedure)
            draft = db.stamp_new({"id": procedure, "procedure": procedure, "based_on": version,
                                  "questions": questions}, schema=SCHEMA)
        questions = [dict(question) for question in draft["questions"]]
        result = change(questions)
        stored = dict(draft, questions=questions, author=author, updated=db.utc_now())
        tinydb.upsert(stored, Query().id == procedure)
    return result


def _index(questions, key):
    for position, question in enumerate(questions):
        if question.get("key") == key:
            return position
    raise NotFound(key)


def _used_keys(procedure, questions):
    """Every key the form has or ever had, so a new question never takes an old answer's name."""
    used = {question.get("key") for question in questions}
    for version in form_versions(procedure):
        used.update(question.get("key") for question in version["questions"])
    return used


def new_key(label, used):
    """A key for a new question from its Spanish label: 'Número de carné' -> 'numero_de_carne'."""
    base = re.sub(r"[^a-z0-9]+", "_", fold_accents(label or "")).strip("_")[:KEY_LENGTH].rstrip("_") or "pregunta"
    key, number = base, 2
    while key in used:
        key, number = f"{base}_{number}", number + 1
    return key


def add_question(procedure, question, author):
    """Append a question (without key) to the working copy; returns it with its new key, or FormFull."""
    if question.get("type") not in QUESTION_TYPES:
        raise ValueError(f"not a question type: {question.get('type')!r}")

    def change(questions):
        if len(questions) >= MAX_QUESTIONS:
            raise FormFull(procedure)
        added = dict(question, key=new_key(question["label"]["es"], _used_keys(procedure, questions)))
        questions.append(added)
        return added
    return _change(procedure, author, change)


def update_question(procedure, key, fields, author):
    """Change a question's wording and settings; its key and type stay. NotFound when it is not there."""
    fields = {name: value for name, value in fields.items() if name not in ("key", "type")}

    def change(questions):
        position = _index(questions, key)
        questions[position] = dict(questions[position], **fields)
        return questions[position]
    return _change(procedure, author, change)


def move_question(procedure, key, step, author):
    """Move a question one place up (step -1) or down (+1); at either end it stays where it is."""
    def change(questions):
        position = _index(questions, key)
        target = position + (1 if step > 0 else -1)
        if 0 <= target < len(questions):
            questions[position], questions[target] = questions[target], questions[position]
        return questions[min(max(target, 0), len(questions) - 1)]
    return _change(procedure, author, change)


def remove_question(procedure, key, author):
    """Take a question out of the working copy; returns it. Published versions keep it."""
    return _change(procedure, author, lambda questions: questions.pop(_index(questions, key)))


def discard_changes(procedure):
    """Forget the unpublished changes: the working copy is the newest version again."""
    with db.transaction(form_drafts_path()) as tinydb:
        tinydb.remove(Query().id == procedure)


def publish(procedure, author):
    """Store the working copy as the form's next version and clear it; returns the new version's document."""
    with db.transaction(form_drafts_path()) as tinydb:
        draft = tinydb.get(Query().id == procedure)
        versions = form_versions(procedure)
        if draft is None or not draft.get("questions") or (versions and versions[-1]["questions"] == draft["questions"]):
            raise NothingToPublish(procedure)
        # Drafts file first, then the forms file: every function here takes the two locks in this order.
        document = save_form(procedure, draft["questions"], author)
        tinydb.remove(Query().id == procedure)
    return document
