"""Search over everything public: an in-memory SQLite FTS5 index built from the store.

The JSON files stay the truth; the index is rebuilt when any content file changes, and when
the clock passes the publication time of scheduled content (nothing is saved at that minute).
Accents and case are ignored ("tramite" finds "trámite") by FTS5's unicode61 tokenizer.
"""
import re
import sqlite3
import threading
import time

from markupsafe import Markup, escape

from .store import catalogue
from .store.site import localized
from .text import plain_text

# type -> (collection, endpoint); the order is the order of the type filter.
SEARCHABLE = {
    "tramites": ("procedures", "public.procedure"),
    "guias": ("guides", "public.guide"),
    "entidades": ("entities", "public.entity"),
    "noticias": ("news", "public.news_item"),
    "avisos": ("notices", "public.notice"),
    "eventos": ("events", "public.event"),
    "paginas": ("pages", "public.page"),
}
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
WORD = re.compile(r"\w+", re.UNICODE)
MARK_START, MARK_END = "\x02", "\x03"


class QueryTooLong(ValueError):
    """A query longer than anyone types."""


def _texts(document):
    """(titles, Spanish summary, English summary, body) of a document, as plain text."""
    title = document.get("title") or document.get("name") or ""
    summary = document.get("summary") or document.get("description") or ""
    titles = " ".join(title.values()) if isinstance(title, dict) else str(title)
    if document.get("acronym"):
        titles += " " + document["acronym"]
    if isinstance(summary, dict):
        summary_es, summary_en = summary.get("es", ""), summary.get("en", "")
    else:
        summary_es = summary_en = plain_text(str(summary))
    body_parts = [plain_text(document.get("body_html") or document.get("description_html") or "")]
    for field in ("who_may_apply", "requirements", "documents", "steps", "place", "organiser"):
        value = document.get(field)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):  # a guide's step: its note and the title of its procedure
                linked = catalogue.optional("procedures", item.get("procedure")) or {}
                title_of_step = linked.get("title") or {}
                body_parts.extend(title_of_step.values() if isinstance(title_of_step, dict) else [])
                item = item.get("note")
            if isinstance(item, str) and item:
                body_parts.append(item)
    return titles, summary_es, summary_en, " ".join(part for part in body_parts if part)


class SearchIndex:
    """The FTS5 index of one data folder, guarded by a lock (SQLite objects are not shared freely)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._connection = None
        self._versions = None
        self._next_publication = None
        self.build_seconds = None

    def _current_versions(self):
        from .store import db
        from .store.paths import collection_path
        return tuple(db.version_of(collection_path(collection)) for collection, _ in SEARCHABLE.values())

    def _build(self):
        started = time.perf_counter()
        connection = sqlite3.connect(":memory:", check_same_thread=False)
        connection.execute(
            "CREATE VIRTUAL TABLE entries USING fts5("
            "kind UNINDEXED, slug UNINDEXED, title, summary_es, summary_en, body, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        rows = []
        self._next_publication = catalogue.next_publication(
            [collection for collection, _ in SEARCHABLE.values()], catalogue.current_moment())
        for kind, (collection, _) in SEARCHABLE.items():
            for document in catalogue.documents(collection):
                rows.append((kind, document.get("slug", ""), *_texts(document)))
        connection.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?)", rows)
        self.build_seconds = time.perf_counter() - started
        return connection

    def _ready(self):
        versions = self._current_versions()
        due = self._next_publication is not None and catalogue.current_moment() >= self._next_publication
        if versions != self._versions or due:
            self._connection = self._build()
            self._versions = versions
        return self._connection

    def search(self, query, kind=None, language="es", offset=0, limit=10):
        """(how many match, [(kind, slug, snippet)] of one page, best first); snippets in the language."""
        match = fts_query(query)
        if not match:
            return 0, []
        where, parameters = "entries MATCH ?", [match]
        if kind:
            where += " AND kind = ?"
            parameters.append(kind)
        summary_column = 4 if language == "en" else 3
        sql = (
            "SELECT kind, slug, snippet(entries, ?, ?, ?, '…', 24), snippet(entries, 5, ?, ?, '…', 24) "
            f"FROM entries WHERE {where} ORDER BY bm25(entries, 0, 0, 10.0, 4.0, 4.0, 1.0) LIMIT ? OFFSET ?"
        )
        with self._lock:
            connection = self._ready()
            total = connection.execute(f"SELECT count(*) FROM entries WHERE {where}", parameters).fetchone()[0]
            rows = connection.execute(sql, [summary_column, MARK_START, MARK_END, MARK_START, MARK_END]
                                      + parameters + [limit, offset]).fetchall()
        # The summary is the better snippet, unless only the body holds the words.
        return total, [(kind, slug, summary if MARK_START in summary or MARK_START not in body else body)
                       for kind, slug, summary, body in rows]

    def rebuild(self):
        """Build the index now (at start-up, for benchmarks); returns the seconds it took."""
        with self._lock:
            self._versions = None
            self._ready()
            return self.build_seconds


def fts_query(query):
    """An FTS5 expression from free text: every word must appear, as a word start."""
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryTooLong(query)
    words = WORD.findall(query)[:MAX_TERMS]
    return " ".join('"' + word.replace('"', "") + '"*' for word in words)


def highlighted(snippet):
    """A snippet with the matched words in <mark>, everything else escaped."""
    return Markup(str(escape(snippet)).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def result_title(document, language):
    """A result's title in the visitor's language."""
    return localized(document.get("title") or document.get("name") or "", language)
