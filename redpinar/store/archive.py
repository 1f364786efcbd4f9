"""Reading a backup archive as a bounded stream: every name, kind and size is checked before a byte is written.

A .tar.gz of a few megabytes can expand to gigabytes, declare a file larger than the disk, or
hold long names and extended headers that tarfile reads into memory whole. The archive is read
twice as a stream: once to check everything (the gzip checksum included) while counting the bytes
actually decompressed, then once to write the files, with modes set here, never taken from it.
"""
import gzip
import os
import tarfile
import zlib
from collections import namedtuple
from contextlib import contextmanager

from flask import current_app

from .errors import StoreError

COPY_CHUNK_BYTES = 1024 * 1024
MEGABYTE = 1024 * 1024
# A data folder holds a few thousand files; far more entries is an attack on memory (tarfile keeps each).
MAX_ENTRIES = 200_000
# Long names and extended (PAX) headers: a backup's are a few hundred bytes.
MAX_HEADER_BYTES = 64 * 1024
# Reading a damaged .gz fails in any of these, depending on where it is cut.
ARCHIVE_READ_ERRORS = (tarfile.TarError, EOFError, zlib.error, OSError)
LONG_HEADER_TYPES = (tarfile.GNUTYPE_LONGNAME, tarfile.GNUTYPE_LONGLINK, tarfile.XHDTYPE, tarfile.XGLTYPE,
                     tarfile.SOLARIS_XHDTYPE)
FILE_MODE, FOLDER_MODE = 0o600, 0o700

Limits = namedtuple("Limits", "file total")


class BackupError(StoreError):
    """A backup or a restore could not be done."""


class BadBackup(BackupError):
    """An archive that must not be restored; nothing was changed."""


def restore_limits():
    """The largest file and the largest whole a restore accepts, in uncompressed bytes."""
    config = current_app.config
    return Limits(int(config["RESTORE_MAX_FILE_BYTES"]), int(config["RESTORE_MAX_TOTAL_BYTES"]))


class _Bounded:
    """The decompressed stream, refusing to give more than `limit` bytes in all."""

    def __init__(self, source, limit):
        self.source, self.limit, self.count = source, limit, 0

    def read(self, size=-1):
        """Up to size bytes; BadBackup once the archive has expanded past the limit."""
        room = self.limit - self.count + 1  # one byte more than allowed proves the limit was passed
        chunk = self.source.read(room if size is None or size < 0 else min(size, room))
        self.count += len(chunk)
        if self.count > self.limit:
            raise BadBackup(f"the archive expands to more than {self.limit // MEGABYTE} MB; a restore takes "
                            "up to that much (raise REDPINAR_RESTORE_MAX_TOTAL_MB for a larger data folder)")
        return chunk


class _BoundedHeader(tarfile.TarInfo):
    """A member header whose long name or extended header is refused before tarfile reads it whole."""

    def _proc_member(self, archive):
        if self.type in LONG_HEADER_TYPES and self.size > MAX_HEADER_BYTES:
            raise BadBackup(f"a header of {self.size} bytes; a backup's names and headers are small")
        return super()._proc_member(archive)


@contextmanager
def _stream(path, limits):
    """The archive opened as a stream over its counted, decompressed bytes: (TarFile, _Bounded)."""
    try:
        raw = open(path, "rb")
    except FileNotFoundError as error:
        raise BadBackup(f"{path}: no such file") from error
    except OSError as error:
        raise BadBackup(f"{path}: cannot be read ({error.strerror})") from error
    with raw, gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
        bounded = _Bounded(unzipped, limits.total)
        try:
            archive = tarfile.open(fileobj=bounded, mode="r|", tarinfo=_BoundedHeader, bufsize=COPY_CHUNK_BYTES)
        except EOFError as error:  # a gzip stream cut short within its first megabyte
            raise BadBackup(f"{path}: the archive is damaged or incomplete ({error})") from error
        except ARCHIVE_READ_ERRORS as error:
            raise BadBackup(f"{path}: not a readable .tar.gz ({error})") from error
        with archive:
            yield archive, bounded


def _safe_name(raw):
    """The member's name as a relative path, or BadBackup when it could leave the folder."""
    parts = [part for part in raw.split("/") if part not in ("", ".")]
    if raw.startswith("/") or not parts or ".." in parts or "\0" in raw:
        raise BadBackup(f"{raw!r}: a name that points outside the data folder")
    return "/".join(parts)


def _kind(member):
    if member.issym():
        return "a symbolic link"
    if member.islnk():
        return "a hard link"
    if member.ischr() or member.isblk():
        return "a device"
    if member.isfifo():
        return "a FIFO"
    return f"an entry of type {member.type!r}"


def _is_file(member):
    return member.type in (tarfile.REGTYPE, tarfile.AREGTYPE)


def _checked(member, limits):
    """The member's safe name, after checking its kind and its declared size."""
    name = _safe_name(member.name)
    if not (_is_file(member) or member.isdir()):
        raise BadBackup(f"{name}: {_kind(member)}; a backup holds only files and folders")
    if member.size > limits.file:
        raise BadBackup(f"{name}: {member.size // MEGABYTE} MB uncompressed; a restore takes files up to "
                        f"{limits.file // MEGABYTE} MB (raise REDPINAR_RESTORE_MAX_FILE_MB for larger files)")
    return name


def _members(archive, path, limits):
    """(name, member) of each entry in turn, checked; read errors become BadBackup."""
    count = 0
    while True:
        try:
            member = archive.next()
        except ARCHIVE_READ_ERRORS as error:
            raise BadBackup(f"{path}: the archive is damaged or incomplete ({error})") from error
        if member is None:
            return
        count += 1
        if count > MAX_ENTRIES:
            raise BadBackup(f"more than {MAX_ENTRIES} entries; a data folder holds far fewer")
        yield _checked(member, limits), member


def scan(path, limits):
    """[(name, member)] of every entry, all checked, the whole archive read and its checksum verified.

    Nothing is written. Raises BadBackup for an unsafe name or kind, a name twice, a file
    or a whole beyond the limits, or a damaged archive.
    """
    entries, files, folders = [], set(), set()
    with _stream(path, limits) as (archive, bounded):
        for name, member in _members(archive, path, limits):
            if name in files or (_is_file(member) and name in folders):
                raise BadBackup(f"{name}: appears twice in the archive")
            parents = name.split("/")[:-1]
            for depth in range(1, len(parents) + 1):
                parent = "/".join(parents[:depth])
                if parent in files:
                    raise BadBackup(f"{name}: inside {parent}, which is a file")
                folders.add(parent)
            (folders if member.isdir() else files).add(name)
            entries.append((name, member))
        try:
            # Read to the end: the gzip trailer's checksum proves nothing was cut or changed,
            # and whatever follows the archive's last entry counts against the limit too.
            while bounded.read(COPY_CHUNK_BYTES):
                pass
        except ARCHIVE_READ_ERRORS as error:
            raise BadBackup(f"{path}: the archive is damaged or incomplete ({error})") from error
    return entries


def _copy(source, copy, name):
    while True:
        try:
            chunk = source.read(COPY_CHUNK_BYTES)
        except ARCHIVE_READ_ERRORS as error:
            raise BadBackup(f"{name}: the archive is damaged or incomplete ({error})") from error
        if not chunk:
            return
        copy.write(chunk)


def extract(path, wanted, staging, limits):
    """Write the entries named in `wanted` into staging: files 0600 and fsync'd, folders 0700.

    The archive's modes are ignored: a setuid bit or a world-writable folder in a backup is
    not carried into the data folder. OSError from the disk propagates.
    """
    with _stream(path, limits) as (archive, _bounded):
        for name, member in _members(archive, path, limits):
            if name not in wanted:
                continue
            target = os.path.join(staging, *name.split("/"))
            if member.isdir():
                os.makedirs(target, mode=FOLDER_MODE, exist_ok=True)
                continue
            os.makedirs(os.path.dirname(target), mode=FOLDER_MODE, exist_ok=True)
            try:
                source = archive.extractfile(member)
            except ARCHIVE_READ_ERRORS as error:
                raise BadBackup(f"{name}: cannot be read from the archive ({error})") from error
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE)
            with os.fdopen(fd, "wb") as copy:
                _copy(source, copy, name)
                copy.flush()
                os.fsync(copy.fileno())
            os.chmod(target, FILE_MODE)
            try:
                os.utime(target, (member.mtime, member.mtime))
            except (OverflowError, ValueError, OSError):
                pass  # a date no file system holds: the file keeps today's
    for folder, _subfolders, _files in os.walk(staging):
        os.chmod(folder, FOLDER_MODE)
