"""The files of deploy/ that run without root: the nightly backup script, and what the systemd units start."""
import os
import subprocess
import sys
import tarfile

import pytest

from tests.conftest import PROJECT_ROOT, make_app

pytestmark = pytest.mark.slow
BACKUP_SCRIPT = os.path.join(PROJECT_ROOT, "deploy", "redpinar-backup.sh")


def run_backup(data_dir, folder, *arguments):
    environment = dict(os.environ, REDPINAR_DATA_DIR=str(data_dir), REDPINAR_PYTHON=sys.executable)
    return subprocess.run([BACKUP_SCRIPT, str(folder), *arguments], env=environment,
                          capture_output=True, text=True, timeout=120)


def test_nightly_backup_writes_a_backup_and_keeps_the_last_fourteen(data_dir, tmp_path):
    make_app(data_dir)
    folder = tmp_path / "backups"
    folder.mkdir()
    older = [folder / f"redpinar-backup-2020010{day}-030000.tar.gz" for day in range(1, 10)] + \
        [folder / f"redpinar-backup-202002{day}-030000.tar.gz" for day in range(10, 16)]
    for path in older:
        path.write_bytes(b"old")
    (folder / "notes.txt").write_text("not a backup")

    result = run_backup(data_dir, folder)

    assert result.returncode == 0, result.stderr
    backups = sorted(name for name in os.listdir(folder) if name.startswith("redpinar-backup-"))
    assert len(backups) == 14
    newest = folder / backups[-1]
    assert newest not in older
    with tarfile.open(newest) as archive:
        assert any(name.endswith("site.json") for name in archive.getnames())
    assert not (folder / "redpinar-backup-20200101-030000.tar.gz").exists()
    assert not (folder / "redpinar-backup-20200102-030000.tar.gz").exists()
    assert (folder / "notes.txt").exists()
    assert oct(folder.stat().st_mode & 0o777) == "0o700"


def test_a_failed_backup_removes_no_old_copy(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    folder = tmp_path / "backups"
    folder.mkdir()
    old = [folder / f"redpinar-backup-2020010{day}-030000.tar.gz" for day in range(1, 4)]
    for path in old:
        path.write_bytes(b"old")

    result = run_backup(empty, folder, "2")

    assert result.returncode != 0
    assert all(path.exists() for path in old)


def test_every_systemd_unit_starts_something_the_portal_has(data_dir):
    app = make_app(data_dir, province=None)
    commands = set(app.cli.commands)
    folder = os.path.join(PROJECT_ROOT, "deploy", "systemd")
    started = {}
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("ExecStart="):
                    started[name] = line.split("=", 1)[1].split()
    assert {"redpinar@.service", "redpinar-backup.service", "redpinar-reminders.service"} <= set(started)
    for name, words in started.items():
        program = next(word for word in words if word.startswith("/srv/redpinar/"))
        relative = program.removeprefix("/srv/redpinar/")
        if relative.startswith(".venv/"):  # the virtualenv's own programs: what they are asked to run must exist
            following = words[words.index(program) + 1:]
            if following[:2] == ["--app", "app"]:
                assert following[2] in commands, f"{name} runs flask {following[2]}, which the portal lacks"
            else:
                assert os.path.isfile(os.path.join(PROJECT_ROOT, following[0])), f"{name} runs {following[0]}"
        else:
            assert os.access(os.path.join(PROJECT_ROOT, relative), os.X_OK), f"{name} starts {relative}"
    for timer in (name for name in os.listdir(folder) if name.endswith(".timer")):
        assert timer.removesuffix(".timer") + ".service" in started, f"{timer} starts no service of deploy/"
