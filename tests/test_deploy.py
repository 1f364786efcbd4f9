"""The files of deploy/ that run without root: the nightly backup script."""
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
