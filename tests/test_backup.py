"""Backups taken while the server runs, and restores that refuse a bad archive before changing anything."""
import glob
import io
import json
import os
import re
import shutil
import stat
import tarfile
import threading
import time

import pytest

from redpinar import cli
from redpinar.store import db, submissions
from redpinar.store.backup import BackupError, BadBackup, restore_backup, write_backup
from redpinar.store.check import check_data_folder
from tests.conftest import PROJECT_ROOT, make_app
from tests.test_participation_server import LOAD_SETTINGS, Storm
from tests.test_server import start_server, stop, wait_until_serving


def folder_state(folder):
    """{relative path: (bytes, mode)} of every file but the lock files, to see that nothing changed."""
    state = {}
    for path in glob.glob(os.path.join(str(folder), "**", "*"), recursive=True):
        if os.path.isfile(path) and not path.endswith(".lock"):
            with open(path, "rb") as handle:
                state[os.path.relpath(path, str(folder))] = (handle.read(), stat.S_IMODE(os.stat(path).st_mode))
    return state


def documents(folder):
    """{relative path: parsed JSON} of every JSON file of a data folder."""
    found = {}
    for path in glob.glob(os.path.join(str(folder), "**", "*.json"), recursive=True):
        with open(path, encoding="utf-8") as handle:
            found[os.path.relpath(path, str(folder))] = json.load(handle)
    return found


def codes_on_disk(folder):
    """Every submission code in a data folder, read straight from the files (no process caches)."""
    codes = []
    for path in glob.glob(os.path.join(str(folder), "submissions", "*", "*.json")):
        with open(path, encoding="utf-8") as handle:
            tables = json.load(handle)
        codes.extend(document["id"] for table in tables.values() for document in table.values())
    return codes


def backup_of(app, path):
    """A backup of the app's data folder at path."""
    with app.app_context():
        return write_backup(str(path))


def restored_copy(archive, folder):
    """Restore archive into a fresh data folder; returns (app, Restore)."""
    app = make_app(folder, province=None)
    with app.app_context():
        return app, restore_backup(str(archive))


def rewritten(good, target, drop=(), replace=None, extra=()):
    """A copy of the archive good with members dropped, replaced ({name: bytes}) or added ([(TarInfo, bytes)])."""
    replace = replace or {}
    with tarfile.open(good) as source, tarfile.open(target, "w:gz") as copy:
        for member in source.getmembers():
            if member.name in drop:
                continue
            payload = source.extractfile(member).read() if member.isreg() else None
            if member.name in replace:
                payload = replace[member.name]
                member.size = len(payload)
            copy.addfile(member, io.BytesIO(payload) if payload is not None else None)
        for member, payload in extra:
            member.size = len(payload or b"")
            copy.addfile(member, io.BytesIO(payload) if payload else None)
    return target


def test_backup_of_the_example_province_restores_to_a_folder_that_check_accepts(app, data_dir, tmp_path):
    backup = backup_of(app, tmp_path / "backup.tar.gz")
    assert backup.files >= 10 and backup.size == os.path.getsize(backup.path)
    restored_app, _restored = restored_copy(backup.path, tmp_path / "restored")
    result = restored_app.test_cli_runner().invoke(args=["check"])
    assert result.exit_code == 0, result.output
    assert documents(tmp_path / "restored") == documents(data_dir)
    assert (tmp_path / "restored" / "secret_key").read_bytes() == (data_dir / "secret_key").read_bytes()
    assert stat.S_IMODE(os.stat(tmp_path / "restored" / "secret_key").st_mode) == 0o600
    assert (tmp_path / "restored" / "theme" / "static" / "logo.svg").exists()


def test_backup_is_private_and_skips_lock_and_unfinished_files(app, data_dir, tmp_path):
    (data_dir / "content" / ".news.json.abc123.tmp").write_text("{half")
    old_umask = os.umask(0)  # even an operator with a permissive umask gets a private archive
    try:
        backup = backup_of(app, tmp_path / "backup.tar.gz")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(os.stat(backup.path).st_mode) == 0o600
    assert (data_dir / "site.json.lock").exists()
    with tarfile.open(backup.path) as archive:
        names = archive.getnames()
        assert archive.getmember("secret_key").mode == 0o600
    assert "site.json" in names and "content/topics.json" in names and "secret_key" in names
    assert not [name for name in names if name.endswith(".lock") or name.endswith(".tmp")]
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]


def test_backup_command_writes_a_dated_archive_in_the_current_folder(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli, "PROGRESS_FROM_FILES", 1)
    result = runner.invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    written = glob.glob(str(tmp_path / "redpinar-backup-*.tar.gz"))
    assert len(written) == 1
    assert re.fullmatch(r"redpinar-backup-\d{8}-\d{6}\.tar\.gz", os.path.basename(written[0]))
    assert f"Backup written to {written[0]} (" in result.output and " KB, " in result.output
    assert re.search(r"Backing up: (\d+)/\1 files and folders", result.output)


def test_backup_reports_progress_up_to_the_total(app, tmp_path):
    calls = []
    with app.app_context():
        write_backup(str(tmp_path / "backup.tar.gz"), progress=lambda done, total: calls.append((done, total)))
    assert [done for done, _total in calls] == list(range(1, len(calls) + 1))
    assert calls[-1][0] == calls[-1][1] == len(calls)


def test_backup_refuses_to_write_inside_the_data_folder(app, data_dir):
    with app.app_context(), pytest.raises(BackupError, match="outside the data folder"):
        write_backup(str(data_dir / "backup.tar.gz"))
    assert not glob.glob(str(data_dir / "*.tar.gz")) and not glob.glob(str(data_dir / ".*.tmp"))


def test_backup_waits_for_a_transaction_in_progress(app, data_dir, tmp_path):
    news = os.path.join(str(data_dir), "content", "news.json")
    inside = threading.Event()

    def slow_transaction():
        with app.app_context(), db.transaction(news) as tinydb:
            tinydb.insert(db.stamp_new({"slug": "escrita-durante-la-copia"}))
            inside.set()
            time.sleep(0.5)  # a write of several steps, not yet on disk

    writer = threading.Thread(target=slow_transaction)
    writer.start()
    inside.wait(5)
    backup = backup_of(app, tmp_path / "backup.tar.gz")
    writer.join()
    with tarfile.open(backup.path) as archive:
        copied = json.load(archive.extractfile("content/news.json"))
    assert any(document.get("slug") == "escrita-durante-la-copia" for document in copied["_default"].values())


def test_restore_command_keeps_the_previous_folder_and_says_to_restart(app, runner, data_dir, tmp_path):
    backup = backup_of(app, tmp_path / "backup.tar.gz")
    with app.app_context():
        later = submissions.save_submission({"asunto": "Enviado después de la copia"})
    result = runner.invoke(args=["restore", backup.path])
    assert result.exit_code == 0, result.output
    kept = glob.glob(str(tmp_path / "data.before-restore-*"))
    assert len(kept) == 1 and re.fullmatch(r"data\.before-restore-\d{8}-\d{6}", os.path.basename(kept[0]))
    assert f"The previous data folder was kept as {kept[0]}." in result.output
    assert "Restart the server" in result.output
    assert later["id"] in codes_on_disk(kept[0])
    assert later["id"] not in codes_on_disk(data_dir)
    assert runner.invoke(args=["check"]).exit_code == 0


def test_shipped_examples_inside_the_data_folder_stay_out_of_backups_and_survive_a_restore(data_dir, tmp_path):
    # The default settings put the tracked examples in data/demo/, inside the data folder.
    shutil.copytree(os.path.join(PROJECT_ROOT, "data", "demo"), data_dir / "demo")
    app = make_app(data_dir, DEMO_DIR=str(data_dir / "demo"))
    backup = backup_of(app, tmp_path / "backup.tar.gz")
    with tarfile.open(backup.path) as archive:
        assert not [name for name in archive.getnames() if name.startswith("demo")]
    with app.app_context():
        restore_backup(backup.path)
    assert (data_dir / "demo" / "pinar-del-rio" / "site.json").exists()
    assert (data_dir / "site.json").exists()


def entry(name, kind=tarfile.REGTYPE, linkname=""):
    """An archive member header."""
    member = tarfile.TarInfo(name)
    member.type, member.linkname = kind, linkname
    return member


def with_schema_99(good, target):
    """The backup with one topic claiming a schema version from the future."""
    with tarfile.open(good) as archive:
        tables = json.load(archive.extractfile("content/topics.json"))
    tables["_default"]["3"]["schema"] = 99
    return rewritten(good, target, replace={"content/topics.json": json.dumps(tables).encode()})


def cut_in_half(good, target):
    """The first half of the backup, as an interrupted copy leaves it."""
    with open(good, "rb") as source, open(target, "wb") as copy:
        payload = source.read()
        copy.write(payload[:len(payload) // 2])
    return target


def not_gzip(good, target):
    """A file that is no archive at all."""
    with open(target, "w") as handle:
        handle.write("not an archive")
    return target


# case: (how to make the archive from a good backup and a target path, what the refusal says)
HOSTILE = {
    "a member named ../../evil": (
        lambda good, target: rewritten(good, target, extra=[(entry("../../evil"), b"owned")]),
        "'../../evil': a name that points outside the data folder"),
    "an absolute path": (
        lambda good, target: rewritten(good, target, extra=[(entry("/tmp/redpinar-evil"), b"owned")]),
        "'/tmp/redpinar-evil': a name that points outside the data folder"),
    "a symbolic link": (
        lambda good, target: rewritten(
            good, target, extra=[(entry("content/passwd", tarfile.SYMTYPE, "/etc/passwd"), None)]),
        "content/passwd: a symbolic link"),
    "a hard link": (
        lambda good, target: rewritten(
            good, target, extra=[(entry("content/key", tarfile.LNKTYPE, "secret_key"), None)]),
        "content/key: a hard link"),
    "a device": (
        lambda good, target: rewritten(good, target, extra=[(entry("content/disk", tarfile.BLKTYPE), None)]),
        "content/disk: a device"),
    "a truncated .gz": (cut_in_half, "the archive is damaged or incomplete"),
    "a file that is not gzip": (not_gzip, "not a readable .tar.gz"),
    "a .json that does not parse": (
        lambda good, target: rewritten(good, target, replace={"content/news.json": b'{"_default": {"1": {"id"'}),
        "content/news.json: is not valid JSON"),
    "a document with schema 99": (
        with_schema_99, "content/topics.json: document 3 (id '"),
    "no site.json": (lambda good, target: rewritten(good, target, drop=("site.json",)), "site.json: missing"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_or_broken_archives_are_refused_before_anything_changes(app, data_dir, tmp_path, case):
    make_archive, message = HOSTILE[case]
    good = backup_of(app, tmp_path / "good.tar.gz").path
    hostile = make_archive(good, str(tmp_path / "hostile.tar.gz"))
    before, siblings = folder_state(data_dir), sorted(os.listdir(tmp_path))
    with app.app_context(), pytest.raises(BadBackup) as refusal:
        restore_backup(hostile)
    assert message in str(refusal.value)
    if case == "a document with schema 99":
        assert "'schema' must be a version from 1 to 1, found 99" in str(refusal.value)
    assert folder_state(data_dir) == before
    assert sorted(os.listdir(tmp_path)) == siblings  # no copy left behind, no folder moved aside
    assert not os.path.exists(os.path.join(os.path.dirname(str(tmp_path)), "evil"))
    assert not os.path.exists("/tmp/redpinar-evil")


def test_restore_command_names_the_reason_for_refusing(app, runner, data_dir, tmp_path):
    good = backup_of(app, tmp_path / "good.tar.gz").path
    hostile = with_schema_99(good, str(tmp_path / "hostile.tar.gz"))
    before = folder_state(data_dir)
    result = runner.invoke(args=["restore", hostile])
    assert result.exit_code == 1
    assert "the backup is refused and nothing changed: content/topics.json: document 3" in result.output
    assert folder_state(data_dir) == before


@pytest.mark.slow
def test_backup_during_a_submission_storm_holds_every_acknowledged_message(data_dir, tmp_path):
    app = make_app(data_dir)
    process, port = start_server(data_dir, **LOAD_SETTINGS)
    storm = Storm(port, 8)
    backups = []
    try:
        wait_until_serving(process, port)
        storm.start()
        deadline = time.monotonic() + 60
        while len(storm.acknowledged()) < 40 and time.monotonic() < deadline and not storm.errors:
            time.sleep(0.05)
        for number in range(4):
            before = set(storm.acknowledged())
            backup = backup_of(app, tmp_path / f"backup-{number}.tar.gz")
            backups.append((backup.path, before, len(storm.acknowledged())))
            time.sleep(0.2)
    finally:
        storm.stop()
        stop(process)
    assert storm.errors == []
    assert len(backups) == 4 and len(backups[0][1]) >= 40
    # The storm went on while the backups were written.
    assert any(during > len(before) for _path, before, during in backups)
    for number, (path, before, _during) in enumerate(backups):
        restored_app, _restored = restored_copy(path, tmp_path / f"restored-{number}")
        with restored_app.app_context():
            problems, _warnings = check_data_folder()
        assert problems == []
        missing = before - set(codes_on_disk(tmp_path / f"restored-{number}"))
        assert missing == set()
