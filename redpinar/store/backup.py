"""Backups of the data folder: a consistent .tar.gz written while the server runs, and its restore.

A backup copies each JSON file under the same locks its writers take, so no
transaction is ever caught half-way. A restore checks the whole archive, extracts
it beside the data folder, checks the copy as `flask check` would, and only then
swaps it in by renaming; the previous folder is kept beside it, never deleted.
"""
import io
import os
import shutil
import stat
import tarfile
import tempfile
from collections import namedtuple
from datetime import datetime

from filelock import Timeout
from flask import Flask, current_app

from . import db
from .archive import BackupError, BadBackup, extract, restore_limits, scan
from .check import check_data_folder
from .paths import data_dir
from .storage import atomic_file, fsync_directory, parse_json

Backup = namedtuple("Backup", "path size files")
Restore = namedtuple("Restore", "data_folder previous_folder files")


def timestamp():
    """YYYYmmdd-HHMMSS on the operator's clock, for file names they will read."""
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def default_backup_name():
    """redpinar-backup-YYYYmmdd-HHMMSS.tar.gz."""
    return f"redpinar-backup-{timestamp()}.tar.gz"


# The server's passing state: open panel sessions and failed-login counts. A backup that
# carried them would bring back, on restore, sessions that were closed since.
SERVER_STATE = ("sessions.json", "throttle")


def is_skipped(file_name):
    """Lock files and the temp files of unfinished writes are never part of a backup."""
    return file_name.endswith(".lock") or (file_name.startswith(".") and file_name.endswith(".tmp"))


def is_server_state(name):
    """True for an archive name under the server's passing state (never backed up or restored)."""
    return name.split("/", 1)[0] in SERVER_STATE


def _inside(path, folder):
    return os.path.commonpath([os.path.realpath(path), folder]) == folder


def _shipped_examples(root):
    """The relative name of the example provinces' folder when it sits inside the data folder.

    With the default settings data/demo/ holds the tracked examples: code, not data.
    """
    demo = os.path.realpath(current_app.config.get("DEMO_DIR") or "")
    if demo != root and _inside(demo, root):
        return os.path.relpath(demo, root).replace(os.sep, "/")
    return None


def _entries(root):
    """(name in the archive, path) of every folder and file to back up, each folder before its files."""
    examples = _shipped_examples(root)
    entries, seen_folders = [], set()

    def unreadable(error):
        raise BackupError(f"cannot read {error.filename}: {error.strerror}")

    # Linked folders (uploads on a bigger disk) are backed up as what they hold.
    for folder, subfolders, files in os.walk(root, onerror=unreadable, followlinks=True):
        try:
            identity = (os.stat(folder).st_dev, os.stat(folder).st_ino)
        except FileNotFoundError:
            continue  # removed since it was listed
        relative = os.path.relpath(folder, root).replace(os.sep, "/")
        if identity in seen_folders or relative == examples or is_server_state(relative):
            subfolders[:] = []
            continue
        seen_folders.add(identity)
        subfolders.sort()
        prefix = "" if relative == "." else relative + "/"
        if prefix:
            entries.append((relative, folder))
        entries.extend((prefix + name, os.path.join(folder, name)) for name in sorted(files)
                       if not is_skipped(name) and not is_server_state(prefix + name))
    return entries


def _read_under_lock(name, path):
    """The bytes and stat of a JSON file, read while no writer holds it."""
    handle = db.handle_for(path)
    with handle.thread_lock:
        try:
            handle.file_lock.acquire()
        except Timeout as error:
            raise BackupError(f"{name}: a writer held it for more than {db.LOCK_TIMEOUT_SECONDS} s; "
                              "try the backup again") from error
        try:
            with open(path, "rb") as source:
                return source.read(), os.fstat(source.fileno())
        finally:
            handle.file_lock.release()


def _member(name, file_stat, kind=tarfile.REGTYPE):
    member = tarfile.TarInfo(name)
    member.type = kind
    member.mode = stat.S_IMODE(file_stat.st_mode)
    member.mtime = int(file_stat.st_mtime)
    return member


def _add(archive, name, path):
    """Add one entry; returns 1 for a file, 0 for a folder or something that vanished."""
    try:
        file_stat = os.stat(path)
        if stat.S_ISDIR(file_stat.st_mode):
            archive.addfile(_member(name, file_stat, tarfile.DIRTYPE))
            return 0
        if not stat.S_ISREG(file_stat.st_mode):
            return 0
        # The store writes every JSON file but the theme's, which load-demo copies in and the site serves.
        if name.endswith(".json") and not name.startswith("theme/"):
            # The compression happens after the lock is released: citizens wait only for the read.
            payload, file_stat = _read_under_lock(name, path)
            member = _member(name, file_stat)
            member.size = len(payload)
            archive.addfile(member, io.BytesIO(payload))
            return 1
        # Theme files, uploads and the secret key are streamed: they may be large.
        with open(path, "rb") as source:
            file_stat = os.fstat(source.fileno())
            member = _member(name, file_stat)
            member.size = file_stat.st_size
            archive.addfile(member, source)
        return 1
    except FileNotFoundError:
        return 0  # removed since the folder was listed: not part of this backup
    except OSError as error:
        raise BackupError(f"cannot read {path}: {error.strerror or error}") from error


def write_backup(destination_path, progress=None):
    """Write a .tar.gz of the data folder while the server keeps serving; returns Backup(path, size, files).

    progress(done, total) is called after each entry. The archive is mode 0600 (it holds
    personal data and the secret key) and appears only once complete.
    """
    root = os.path.realpath(data_dir())
    destination = os.path.abspath(destination_path)
    if os.path.isdir(destination):
        destination = os.path.join(destination, default_backup_name())
    if _inside(os.path.dirname(destination), root):
        raise BackupError(f"{destination}: write the backup outside the data folder {root}")
    if not os.path.isfile(os.path.join(root, "site.json")):
        raise BackupError(f"{root} holds no province (no site.json): nothing to back up")
    entries = _entries(root)
    files = 0
    try:
        # The temp file is created 0600: the archive is never readable by others, not even half-written.
        with atomic_file(destination) as raw:
            with tarfile.open(name=destination, mode="w:gz", fileobj=raw, compresslevel=6) as archive:
                for done, (name, path) in enumerate(entries, start=1):
                    files += _add(archive, name, path)
                    if progress:
                        progress(done, len(entries))
    except OSError as error:
        raise BackupError(f"could not write {destination}: {error.strerror or error}") from error
    return Backup(destination, os.path.getsize(destination), files)


def _copy_problems(staging):
    """Problems of the extracted copy: unparsable JSON, then whatever `flask check` would say."""
    if not os.path.isfile(os.path.join(staging, "site.json")):
        return ["site.json: missing; this archive is not a RedPinar data folder"]
    for folder, _subfolders, files in os.walk(staging):
        for file_name in sorted(files):
            if file_name.endswith(".json"):
                path = os.path.join(folder, file_name)
                try:
                    with open(path, "rb") as handle:
                        parse_json(handle.read())
                except ValueError as error:
                    return [f"{os.path.relpath(path, staging)}: is not valid JSON ({error})"]
    # check.py validates the data folder of the app in context; the copy must pass
    # before it becomes that folder, so it is checked through an app that points at it.
    checker = Flask(current_app.import_name)
    checker.config.update(current_app.config)
    checker.config["DATA_DIR"] = staging
    with checker.app_context():
        problems, _warnings = check_data_folder()
    return problems


def _give_to_owner_of(root, staging):
    """Run as root, the restored files get the owner of the data folder, so the server can write them."""
    if os.geteuid() != 0 or not os.path.isdir(root):
        return
    owner = os.stat(root)
    for folder, _subfolders, files in os.walk(staging):
        os.lchown(folder, owner.st_uid, owner.st_gid)
        for file_name in files:
            os.lchown(os.path.join(folder, file_name), owner.st_uid, owner.st_gid)


def _free_name(path):
    candidate, number = path, 1
    while os.path.lexists(candidate):
        number += 1
        candidate = f"{path}-{number}"
    return candidate


def _swap(root, staging):
    """Rename the data folder aside and the staging copy into its place; returns the kept folder."""
    previous = None
    if os.path.lexists(root):
        previous = _free_name(f"{root}.before-restore-{timestamp()}")
        try:
            os.rename(root, previous)
        except OSError as error:
            shutil.rmtree(staging, ignore_errors=True)
            raise BackupError(f"could not move {root} aside: {error.strerror}; nothing changed") from error
    try:
        os.rename(staging, root)
    except OSError as error:
        if previous is not None:
            try:
                os.rename(previous, root)
            except OSError:
                raise BackupError(f"could not move the restored copy {staging} to {root} ({error.strerror}), "
                                  f"nor the previous folder back from {previous}: move one of them by hand") from error
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupError(f"could not move the restored copy into {root}: {error.strerror}; nothing changed") from error
    fsync_directory(os.path.dirname(root))
    return previous


def restore_backup(archive_path):
    """Replace the data folder by a checked backup; returns Restore(data_folder, previous_folder, files).

    Raises BadBackup, and changes nothing, when the archive is unreadable, holds an unsafe
    member, expands beyond the restore limits, or its copy would not pass `flask check`.
    """
    root = os.path.realpath(data_dir())
    parent = os.path.dirname(root)
    examples = _shipped_examples(root)
    limits = restore_limits()
    members = [(name, member) for name, member in scan(archive_path, limits)
               if not (is_skipped(name.rsplit("/", 1)[-1]) or is_server_state(name)
                       or (examples and (name + "/").startswith(examples + "/")))]
    needed = sum(member.size for _name, member in members)
    free = shutil.disk_usage(parent).free
    if needed > free:
        raise BackupError(f"the restored copy needs {needed // 2**20} MB; {parent} has {free // 2**20} MB free")
    try:
        staging = tempfile.mkdtemp(dir=parent, prefix=f".{os.path.basename(root)}.restoring-")
    except OSError as error:
        raise BackupError(f"cannot create a folder in {parent}: {error.strerror}") from error
    try:
        try:
            extract(archive_path, {name for name, _member in members}, staging, limits)
            if examples and os.path.isdir(os.path.join(root, examples)):
                shutil.copytree(os.path.join(root, examples), os.path.join(staging, examples))
            for folder, _subfolders, _files in os.walk(staging):
                fsync_directory(folder)
            _give_to_owner_of(root, staging)
        except OSError as error:
            raise BackupError(f"could not write the restored copy in {parent}: {error.strerror}") from error
        problems = _copy_problems(staging)
        if problems:
            more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
            raise BadBackup(f"{problems[0]}{more}")
        if os.path.isdir(root):
            os.chmod(staging, stat.S_IMODE(os.stat(root).st_mode))
    except BaseException:
        # Only the staging copy this call made is removed; the data folder was not touched.
        shutil.rmtree(staging, ignore_errors=True)
        raise
    previous = _swap(root, staging)
    return Restore(root, previous, sum(1 for _name, member in members if member.isreg()))
