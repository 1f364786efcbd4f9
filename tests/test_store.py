"""The store: atomic writes, memory reads of unchanged files, clean failures."""
import errno
import json
import os

import pytest

from redpinar.store import StoreWriteError, content, db
from redpinar.store.paths import collection_path
from tests.conftest import run_python


def test_saved_document_is_on_disk_as_complete_json_with_its_stamps(app):
    with app.app_context():
        saved = content.insert_document("notes", {"slug": "feria", "title": {"es": "Feria"}})
        path = collection_path("notes")
    with open(path, encoding="utf-8") as handle:
        on_disk = json.load(handle)
    stored = list(on_disk["_default"].values())
    assert stored == [saved]
    assert set(saved) >= {"id", "created", "updated", "schema"}
    assert [name for name in os.listdir(os.path.dirname(path)) if name.endswith(".tmp")] == []


def test_reading_unchanged_content_parses_the_file_once(app):
    with app.app_context():
        content.insert_document("notes", {"slug": "a"})
        path = collection_path("notes")
        before = db.parse_count(path)
        for _ in range(50):
            assert len(content.all_documents("notes")) == 1
            content.find_documents("notes", slug="a")
        assert db.parse_count(path) - before <= 1


def test_change_written_by_another_process_is_seen_on_next_read(app, data_dir):
    with app.app_context():
        first = content.insert_document("notes", {"slug": "primera", "kind": "notes"})
        assert len(content.find_documents("notes", kind="notes")) == 1  # fills TinyDB's query cache
    result = run_python(
        "from tests.conftest import make_app\n"
        "from redpinar.store import content\n"
        f"app = make_app({str(data_dir)!r}, province=None)\n"
        "with app.app_context():\n"
        "    content.insert_document('notes', {'slug': 'segunda', 'kind': 'notes'})\n"
    )
    assert result.returncode == 0, result.stderr
    with app.app_context():
        slugs = sorted(news["slug"] for news in content.find_documents("notes", kind="notes"))
        assert slugs == ["primera", "segunda"]
        # TinyDB's next document id must follow the other process's insert, not overwrite it.
        content.insert_document("notes", {"slug": "tercera", "kind": "notes"})
        assert sorted(n["slug"] for n in content.all_documents("notes")) == ["primera", "segunda", "tercera"]
        assert content.get_document("notes", first["id"])["slug"] == "primera"


def test_failed_transaction_writes_nothing_and_memory_follows_the_disk(app):
    with app.app_context():
        content.insert_document("notes", {"slug": "antes"})
        with pytest.raises(RuntimeError):
            with db.transaction(collection_path("notes")) as tinydb:
                tinydb.insert(db.stamp_new({"slug": "a-medias"}))
                raise RuntimeError("validation failed half-way")
        assert [n["slug"] for n in content.all_documents("notes")] == ["antes"]


@pytest.mark.parametrize("failing_call, error_number", [
    ("fsync", errno.ENOSPC),      # the disk fills while the new version is flushed
    ("replace", errno.EROFS),     # the folder became read-only
    ("mkstemp", errno.EROFS),     # the folder is read-only from the start
])
def test_disk_full_or_read_only_leaves_the_old_file_intact(app, monkeypatch, failing_call, error_number):
    with app.app_context():
        content.insert_document("notes", {"slug": "intacta"})
        path = collection_path("notes")
        with open(path, "rb") as handle:
            before = handle.read()

        def refuse(*args, **kwargs):
            raise OSError(error_number, os.strerror(error_number))

        target = {"fsync": (os, "fsync"), "replace": (os, "replace"),
                  "mkstemp": (__import__("tempfile"), "mkstemp")}[failing_call]
        monkeypatch.setattr(*target, refuse)
        with pytest.raises(StoreWriteError):
            content.insert_document("notes", {"slug": "perdida"})
        monkeypatch.undo()

        with open(path, "rb") as handle:
            assert handle.read() == before
        assert not [name for name in os.listdir(os.path.dirname(path)) if name.endswith(".tmp")]
        assert [n["slug"] for n in content.all_documents("notes")] == ["intacta"]
        content.insert_document("notes", {"slug": "despues"})
        assert [n["slug"] for n in content.all_documents("notes")] == ["intacta", "despues"]


def test_names_that_could_escape_the_data_folder_are_refused(app):
    from redpinar.store import InvalidName
    with app.app_context():
        for name in ("../users", "news/../../x", "", "News", "a.json"):
            with pytest.raises(InvalidName):
                content.all_documents(name)
