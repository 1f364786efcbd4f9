"""`flask check`: is every file of a data folder what it should be?"""
import glob
import os
from datetime import datetime

from ..text import is_safe_link
from .db import SCHEMA_VERSION
from .paths import COLLECTION_NAME, data_dir
from .consistency import content_problems, office_problems, unknown_colour_problems
from .site import site_problems
from .storage import parse_json


def _is_iso_datetime(value):
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def document_problems(document):
    """What is wrong with one stored document (empty when fine)."""
    if not isinstance(document, dict):
        return ["is not a JSON object"]
    problems = []
    if not isinstance(document.get("id"), str) or not document.get("id"):
        problems.append("has no 'id'")
    for field in ("created", "updated"):
        if not _is_iso_datetime(document.get(field)):
            problems.append(f"'{field}' is not an ISO 8601 date and time: {document.get(field)!r}")
    links = document.get("forms") if isinstance(document.get("forms"), list) else []
    for link in links:
        url = link.get("url") if isinstance(link, dict) else link
        if not is_safe_link(url):
            problems.append(f"link {url!r} in 'forms' is neither an http(s) address nor a path of the portal")
    schema = document.get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool) or not 1 <= schema <= SCHEMA_VERSION:
        problems.append(f"'schema' must be a version from 1 to {SCHEMA_VERSION}, found {schema!r}")
    return problems


def tinydb_file_problems(path, shown_path):
    """Problems of one TinyDB file, each naming the file and the document."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        return [f"{shown_path}: cannot be read ({error.strerror})"]
    if not raw.strip():
        return []
    try:
        tables = parse_json(raw)
    except ValueError as error:
        return [f"{shown_path}: is not valid JSON ({error})"]
    if not isinstance(tables, dict):
        return [f"{shown_path}: the top level must be an object of tables"]
    problems = []
    seen_ids = {}
    for table_name, table in tables.items():
        if not isinstance(table, dict):
            problems.append(f"{shown_path}: table {table_name!r} must be an object of documents")
            continue
        for doc_id, document in table.items():
            label = f"{shown_path}: document {doc_id}"
            if isinstance(document, dict) and isinstance(document.get("id"), str):
                label += f" (id {document['id']!r})"
                if document["id"] in seen_ids:
                    problems.append(f"{label}: id also used by document {seen_ids[document['id']]}")
                seen_ids[document["id"]] = doc_id
            problems.extend(f"{label}: {problem}" for problem in document_problems(document))
    return problems


def check_data_folder(theme_problems=()):
    """(problems, warnings) for the data folder of the running app."""
    root = data_dir()
    problems, warnings = [], []

    def shown(path):
        return os.path.relpath(path, root)

    site = {}
    site_file = os.path.join(root, "site.json")
    if not os.path.exists(site_file):
        problems.append("site.json: missing; load a province with `flask --app app load-demo`")
    else:
        try:
            with open(site_file, "rb") as handle:
                site = parse_json(handle.read())
        except ValueError as error:
            problems.append(f"site.json: is not valid JSON ({error})")
        else:
            problems.extend(f"site.json: {problem}" for problem in site_problems(site) + unknown_colour_problems(site))
    problems.extend(problem for problem in theme_problems if problem not in problems)

    tinydb_files = sorted(glob.glob(os.path.join(root, "content", "*.json")))
    for path in tinydb_files:
        if not COLLECTION_NAME.match(os.path.basename(path)[:-5]):
            problems.append(f"{shown(path)}: not a collection name")
    tinydb_files += sorted(glob.glob(os.path.join(root, "submissions", "*", "*.json")))
    # Appointments of each office and month (the _holders and _codes folders are indexes, not documents).
    tinydb_files += sorted(glob.glob(os.path.join(root, "appointments", "[a-z0-9]*", "*.json")))
    for single in ("users.json", os.path.join("appointments", "offices.json")):
        if os.path.exists(os.path.join(root, single)):
            tinydb_files.append(os.path.join(root, single))
    for path in tinydb_files:
        problems.extend(tinydb_file_problems(path, shown(path)))
    problems.extend(content_problems(root, site if isinstance(site, dict) else {}))
    problems.extend(office_problems(root, site if isinstance(site, dict) else {}))

    for leftover in glob.glob(os.path.join(root, "**", ".*.tmp"), recursive=True):
        warnings.append(f"{shown(leftover)}: an unfinished write left by a crash; safe to delete")
    key = os.path.join(root, "secret_key")
    if os.path.exists(key) and os.stat(key).st_mode & 0o077:
        warnings.append("secret_key: readable by other users; run chmod 600 on it")
    return problems, warnings
