"""A real full disk and a real read-only folder (a small tmpfs mounted for the test)."""
import json
import os
import subprocess

import pytest

from redpinar.store import StoreWriteError, content
from tests.conftest import make_app


@pytest.fixture
def small_disk(tmp_path):
    """A 256 KiB tmpfs; the test is skipped where mounting is not allowed (the mocked tests still run)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount_point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def notes_on_disk(data_dir):
    """The news documents as the file on disk holds them."""
    with open(os.path.join(data_dir, "content", "notes.json"), encoding="utf-8") as handle:
        return list(json.load(handle)["_default"].values())


def test_filling_the_disk_keeps_every_saved_document_and_a_valid_file(small_disk):
    app = make_app(small_disk, province=None)
    saved = []
    with app.app_context():
        with pytest.raises(StoreWriteError):
            for number in range(1000):
                saved.append(content.insert_document("notes", {"slug": f"n{number}", "body": "x" * 4000}))
        assert notes_on_disk(small_disk) == saved
        assert content.all_documents("notes") == saved
    assert not [name for name in os.listdir(small_disk / "content") if name.endswith(".tmp")]


def test_a_read_only_data_folder_refuses_writes_and_keeps_serving(small_disk):
    app = make_app(small_disk, province=None)
    with app.app_context():
        first = content.insert_document("notes", {"slug": "antes"})
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    with app.app_context():
        with pytest.raises(StoreWriteError):
            content.insert_document("notes", {"slug": "despues"})
        assert content.all_documents("notes") == [first]
    assert notes_on_disk(small_disk) == [first]
    assert app.test_client().get("/").status_code == 200
