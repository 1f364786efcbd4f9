"""Files attached to online requests: judged by their content, stored outside the public media folder.

data/request-files/YYYY-MM/<32 hex>.<pdf|jpg|png>. Images are decoded by Pillow and encoded again
(what rides along in a polyglot or in metadata is left behind); PDFs must have a PDF's header and
trailer. Everything else is refused. A file is written (fsync'd, renamed, folder fsync'd) before the
request or draft that names it, so a request never lacks a file; a crash between the two leaves a
file nobody names, which `sweep_orphans` removes once it is older than the holding time.
"""
import hashlib
import io
import os
import re
import secrets
import time
import warnings
from datetime import datetime, timezone

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps

from .errors import InvalidName
from .paths import data_path
from .storage import atomic_write_bytes

MAX_PIXELS = 40_000_000
DEFAULT_MAX_MB = 5
TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}
FILE_PATH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])/[0-9a-f]{32}\.(pdf|jpg|png)$")
FILE_NAME = re.compile(r"^[0-9a-f]{32}\.(pdf|jpg|png)$")
TEMP_NAME = re.compile(r"^\.[A-Za-z0-9_]+\.tmp$")
PDF_TAIL = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
PDF_ACTIVE = (b"/JavaScript", b"/JS ", b"/JS(", b"/JS<", b"/Launch", b"/EmbeddedFile")


class FileRefused(ValueError):
    """A file that is not a PDF, JPEG or PNG we can trust, with the reason in the visitor's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def files_root():
    """data/request-files/: never served by the public media route."""
    return data_path("request-files")


def file_path(entry):
    """The file on disk of a file entry; its path is checked before it comes near the disk."""
    relative = str(entry.get("path", ""))
    if not FILE_PATH.match(relative):
        raise InvalidName(f"not a request file: {relative!r}")
    return os.path.join(files_root(), relative)


def clean_name(name):
    """The citizen's file name, kept only to show it back: no folders, no control characters, short."""
    name = os.path.basename(str(name or "").replace("\\", "/"))
    name = "".join(character for character in name if character.isprintable() and character not in '"<>')
    return name[-100:].strip() or "archivo"


def _image(data):
    """Decode a JPEG or PNG and encode it again without metadata; (kind, bytes)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = {"JPEG": "jpeg", "PNG": "png"}.get(image.format)
                if kind is None:
                    raise FileRefused(_l("Solo se aceptan archivos PDF, JPEG o PNG."))
                width, height = image.size
                # Checked on the header, before the pixels are decoded into memory.
                if width * height > MAX_PIXELS:
                    raise FileRefused(_l("La imagen es demasiado grande (%(width)d × %(height)d píxeles). "
                                         "Redúzcala a menos de 40 megapíxeles.", width=width, height=height))
                image.load()
                upright = ImageOps.exif_transpose(image)
                output = io.BytesIO()
                mode = "RGB" if kind == "jpeg" else (
                    upright.mode if upright.mode in ("1", "L", "LA", "P", "RGB", "RGBA") else "RGBA")
                clean = upright.convert(mode)
                # Comments, EXIF, XMP, ICC and text chunks ride in `info`, and Pillow writes some back.
                clean.info = {}
                if kind == "jpeg":
                    clean.save(output, "JPEG", quality=90, comment=b"")
                else:
                    clean.save(output, "PNG")
                return kind, output.getvalue()
    except FileRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise FileRefused(_l("La imagen es demasiado grande. Redúzcala a menos de 40 megapíxeles.")) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise FileRefused(_l("No se pudo leer la imagen: puede estar dañada. Pruebe con otra copia.")) from None


def _pdf(data):
    """A PDF's header, trailer and cross-reference; refused when it carries scripts or embedded files."""
    if not re.match(rb"%PDF-[12]\.\d", data[:8]):
        raise FileRefused(_l("Solo se aceptan archivos PDF, JPEG o PNG."))
    tail = PDF_TAIL.search(data[-2048:])
    offset = int(tail.group(1)) if tail else -1
    start = data[offset:offset + 40] if 0 < offset < len(data) else b""
    if not (start.startswith(b"xref") or re.match(rb"\d+\s+\d+\s+obj", start)) or b" obj" not in data:
        raise FileRefused(_l("El PDF está incompleto o dañado. Guárdelo de nuevo como PDF y adjúntelo otra vez."))
    if any(marker in data for marker in PDF_ACTIVE):
        raise FileRefused(_l("El PDF contiene programas o archivos incrustados. Imprímalo como PDF de nuevo "
                             "y adjunte esa copia."))
    return "pdf", data


def read_limited(stream, max_bytes):
    """The upload's bytes, reading at most one byte beyond the limit."""
    return stream.read(max_bytes + 1)


def check_and_store(data, name, question, max_mb=None):
    """Check an uploaded file by its content and store it durably; returns its file entry.

    FileRefused, with a message for the citizen, when it is empty, too large or not a PDF, JPEG or PNG.
    """
    max_mb = max_mb if isinstance(max_mb, (int, float)) and not isinstance(max_mb, bool) and max_mb > 0 \
        else DEFAULT_MAX_MB
    if not data:
        raise FileRefused(_l("El archivo está vacío. Elija otro."))
    if len(data) > max_mb * 1024 * 1024:
        raise FileRefused(_l("El archivo pasa de %(mb)s MB, el máximo para esta pregunta.", mb=f"{max_mb:g}"))
    if data.startswith(b"%PDF-"):
        kind, stored = _pdf(data)
    elif data.startswith(b"\xff\xd8\xff") or data.startswith(b"\x89PNG\r\n\x1a\n"):
        kind, stored = _image(data)
    else:
        raise FileRefused(_l("Solo se aceptan archivos PDF, JPEG o PNG."))
    file_id = secrets.token_hex(16)
    month = datetime.now(timezone.utc).strftime("%Y-%m")
    entry = {"id": file_id, "question": question, "name": clean_name(name), "type": kind, "bytes": len(stored),
             "sha256": hashlib.sha256(stored).hexdigest(), "path": f"{month}/{file_id}.{EXTENSIONS[kind]}"}
    atomic_write_bytes(file_path(entry), stored)
    return entry


def content_type(entry):
    """The media type a stored file is sent with."""
    return TYPES.get(entry.get("type"), "application/octet-stream")


def download_name(entry):
    """The name a download is saved under: the citizen's name with the extension of what it really is."""
    stem = os.path.splitext(clean_name(entry.get("name")))[0] or "archivo"
    return f"{stem}.{EXTENSIONS.get(entry.get('type'), 'bin')}"


def remove_file(entry):
    """Delete one stored file (gone already: nothing to do)."""
    try:
        os.unlink(file_path(entry))
    except (FileNotFoundError, InvalidName):
        pass


def file_is_whole(entry):
    """True when the stored file is there and its bytes are the ones that were checked."""
    try:
        with open(file_path(entry), "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest() == entry.get("sha256")
    except (OSError, InvalidName):
        return False


def hold_seconds():
    """How long a file no request or draft names yet is kept (a form with mistakes, an open check page)."""
    return int(current_app.config.get("REQUEST_FILES_HOLD_SECONDS", 3600))


def stored_files():
    """(path, name, modified) of every file and leftover temp file under data/request-files/."""
    found = []
    try:
        months = os.listdir(files_root())
    except FileNotFoundError:
        return found
    for month in months:
        folder = os.path.join(files_root(), month)
        if not os.path.isdir(folder):
            continue
        for name in os.listdir(folder):
            path = os.path.join(folder, name)
            try:
                found.append((path, name, os.stat(path).st_mtime))
            except FileNotFoundError:
                continue
    return found


def sweep_orphans(named_ids, older_than=None):
    """Remove files no request or draft names, and temp files a crash left, once older than the hold.

    named_ids: the ids of every file a request or draft names. Returns how many files went.
    """
    # Twice the hold: a file held by a form is named by its request or draft before the hold ends.
    limit = time.time() - (2 * hold_seconds() if older_than is None else older_than)
    removed = 0
    for path, name, modified in stored_files():
        if modified > limit:
            continue
        orphan = TEMP_NAME.match(name) or not FILE_NAME.match(name) or name.split(".")[0] not in named_ids
        if orphan:
            try:
                os.unlink(path)
                removed += 1
            except FileNotFoundError:
                pass
    return removed


def named_file_ids():
    """The ids of every file a request or a draft of a request names."""
    # Imported here: both modules are about documents that name files, not the other way round.
    from .drafts import iter_drafts
    from .requests import iter_requests
    named = set()
    for request_document in iter_requests():
        named.update(entry.get("id") for entry in request_document.get("files") or [])
    for draft in iter_drafts():
        fields = draft.get("fields") or {}
        if fields.get("kind") == "request":
            named.update(entry.get("id") for entry in fields.get("files") or [] if isinstance(entry, dict))
    return named


def sweep_request_files(older_than=None):
    """Remove the files nobody names and the temp files a crash left behind; returns how many went."""
    return sweep_orphans(named_file_ids(), older_than)


def missing_request_files():
    """A sentence for each file a request names that is missing or not the bytes that were checked."""
    from .requests import iter_requests
    return [f"request {request_document.get('id')}: file {entry.get('id')} is missing or damaged"
            for request_document in iter_requests() for entry in request_document.get("files") or []
            if not file_is_whole(entry)]
