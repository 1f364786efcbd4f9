"""Images and PDF documents the webmaster publishes: checked by content, kept in data/uploads/.

Images are decoded with Pillow and written again from their pixels alone (no EXIF, GPS,
XMP, ICC or comments), turned upright, and resized to a few widths for slow connections.
Documents are PDF only, recognised by their bytes. Stored names are made here, never taken
from the upload, and never given to another item; an item's files can be replaced under the same
names (store/media_changes.py), so they are cached for an hour, not for ever.
"""
import io
import os
import re
from collections import namedtuple

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageCms, ImageOps
from tinydb import Query

from ..text import slugify
from . import db
from .errors import InvalidName, NotFound, StoreError
from .paths import data_path, safe_file_name
from .storage import atomic_write_bytes

WIDTHS = (320, 640, 1024)
JPEG_QUALITY = 75
MAX_PIXELS = 40_000_000
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_TEXT_LENGTH = 300
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
MEDIA_ID = re.compile(r"^[0-9a-f]{16}$")
# What this module writes: "<id>-<width>.jpg|png" for an image, "<id>.pdf" for a document.
STORED_NAME = re.compile(r"^(?P<id>[0-9a-f]{16})(?:-(?P<width>[1-9][0-9]{0,4}))?\.(?P<extension>jpg|png|pdf)$")
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}
SRGB = ImageCms.createProfile("sRGB")

# Pillow itself refuses more than twice this (DecompressionBombError) before decoding;
# _open_image refuses anything above it, which is where Pillow would only warn.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

ServedFile = namedtuple("ServedFile", "path content_type inline download_name")


class MediaRefused(StoreError):
    """An upload the portal will not publish; `message` tells the webmaster why."""

    message = _l("No se puede publicar este archivo.")

    def __init__(self, message=None):
        if message is not None:
            self.message = message
        super().__init__(self.message)


class NotAnImage(MediaRefused):
    """Not a JPEG, PNG, WebP or GIF that Pillow can decode whole."""

    message = _l("El archivo no es una imagen JPEG, PNG, WebP o GIF válida.")


class TooManyPixels(MediaRefused):
    """An image whose pixels would not fit in the server's memory (a decompression bomb)."""

    message = _l("La imagen es demasiado grande: tiene más de 40 megapíxeles. Redúzcala antes de subirla.")


class NotAPdf(MediaRefused):
    """A document that is not a complete PDF."""

    message = _l("El archivo no es un documento PDF válido. Solo se publican documentos PDF.")


class FileTooLarge(MediaRefused):
    """More bytes than MEDIA_MAX_BYTES."""


class EmptyFile(MediaRefused):
    """No file, or a file with nothing in it."""

    message = _l("El archivo está vacío o no se envió. Elíjalo de nuevo.")


class TextRequired(MediaRefused):
    """An image without its alternative text, or a document without its title."""


def media_path():
    """data/media.json."""
    return data_path("media.json")


def uploads_folder():
    """data/uploads/, where the published files are."""
    return data_path("uploads")


def max_bytes():
    """The largest file accepted: MEDIA_MAX_BYTES, and never more than a whole request may carry."""
    limit = int(current_app.config.get("MEDIA_MAX_BYTES", DEFAULT_MAX_BYTES))
    request_limit = current_app.config.get("MAX_CONTENT_LENGTH")
    return min(limit, request_limit) if request_limit else limit


def list_media():
    """Every image and document, newest first (shared; do not modify)."""
    def build(documents):
        return sorted(documents, key=lambda item: (item["created"], item.doc_id), reverse=True)
    return db.derived(media_path(), "newest-first", build)


def get_media(media_id):
    """One image or document by its id, or NotFound."""
    if not isinstance(media_id, str) or not MEDIA_ID.match(media_id):
        raise NotFound(media_id)
    with db.reading(media_path()) as tinydb:
        item = tinydb.get(Query().id == media_id)
    if item is None:
        raise NotFound(media_id)
    return dict(item)


def media_file_path(name):
    """The path of a stored file; InvalidName for a name this module never writes, NotFound if missing."""
    if not STORED_NAME.match(safe_file_name(name)):
        raise InvalidName(f"not a media file name: {name!r}")
    path = os.path.join(uploads_folder(), name)
    if not os.path.isfile(path):
        raise NotFound(name)
    return path


def served_file(name):
    """What the public route sends: path, content type, inline (images only) and a download name."""
    path = media_file_path(name)
    item = _by_file_name().get(name)
    if item is None:  # a file no record lists (left by a crash half-way through an upload) is not published
        raise NotFound(name)
    content_type = CONTENT_TYPES[STORED_NAME.match(name)["extension"]]
    if item["kind"] == "image":
        return ServedFile(path, content_type, True, name)
    return ServedFile(path, content_type, False, (slugify(item.get("title", ""), 60) or item["id"]) + ".pdf")


def _by_file_name():
    def build(documents):
        return {file["name"]: document for document in documents for file in document.get("files", [])}
    return db.derived(media_path(), "by-file-name", build)


def save_image(file_storage, alt_text):
    """Publish an image: decoded, turned upright, stripped of metadata, stored at a few widths."""
    alt_text = _required_text(alt_text, _l("Escriba el texto alternativo: qué muestra la imagen, "
                                           "para quien no puede verla."))
    payload = _read_upload(file_storage)
    decoded, (original_width, original_height) = _open_image(payload)
    image = _upright(decoded)
    if image.size == decoded.size[::-1] != decoded.size:  # turned a quarter: the upload's sides swap too
        original_width, original_height = original_height, original_width
    transparent = _has_transparency(image)
    image = image.convert("RGBA" if transparent else "RGB")
    media_id = db.new_id()
    extension = "png" if transparent else "jpg"
    files = {}
    for width in _widths(image.width):
        encoded, height = _encoded(image, width, transparent)
        name = f"{media_id}-{width}.{extension}"
        files[name] = (encoded, {"name": name, "width": width, "height": height, "bytes": len(encoded),
                                 "type": CONTENT_TYPES[extension]})
    return _store(files, {
        "id": media_id, "kind": "image", "alt": alt_text,
        "original": {"bytes": len(payload), "width": original_width, "height": original_height},
    })


LOGO_SIZE = 96  # twice the 48 px the header shows, for sharp screens


def save_logo(file_storage):
    """A province's new logo: checked and cleaned like any image, at most 96 px, into theme/static/."""
    from .site import theme_static_folder
    image = _upright(_open_image(_read_upload(file_storage))[0]).convert("RGBA")
    image.thumbnail((LOGO_SIZE, LOGO_SIZE), Image.Resampling.LANCZOS)
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    buffer = io.BytesIO()
    clean.save(buffer, "PNG", optimize=True)
    name = f"logo-{db.new_id()}.png"
    atomic_write_bytes(os.path.join(theme_static_folder(), name), buffer.getvalue())
    return name


def save_document(file_storage, title):
    """Publish a PDF document under a generated name."""
    title = _required_text(title, _l("Escriba el título del documento."))
    payload = _read_upload(file_storage)
    if not _is_pdf(payload):
        raise NotAPdf()
    media_id = db.new_id()
    name = f"{media_id}.pdf"
    files = {name: (payload, {"name": name, "bytes": len(payload), "type": CONTENT_TYPES["pdf"]})}
    return _store(files, {"id": media_id, "kind": "document", "title": title,
                          "original": {"bytes": len(payload)}})


def _required_text(text, message):
    text = " ".join((text or "").split())
    if not text:
        raise TextRequired(message)
    return text[:MAX_TEXT_LENGTH]


def _read_upload(file_storage):
    # One byte more than the limit tells "too large" without reading a huge body whole.
    limit = max_bytes()
    payload = file_storage.stream.read(limit + 1) if file_storage else b""
    if len(payload) > limit:
        raise FileTooLarge(_l("El archivo pesa más de %(size)s, el máximo permitido.", size=size_text(limit)))
    if not payload:
        raise EmptyFile()
    return payload


def size_text(size):
    """A size for people: '10 MB', '512 KB' (rounded down, as a limit should be)."""
    if size >= 1024 * 1024:
        return f"{size // (1024 * 1024)} MB"
    return f"{max(1, size // 1024)} KB"


def _is_pdf(payload):
    # Readers look for %%EOF in the last kilobyte; a file without it is truncated or not a PDF.
    return payload.startswith(b"%PDF-") and b"%%EOF" in payload[-1024:]


def _open_image(payload):
    """(first frame of an allowed image decoded whole, its size in the upload); else NotAnImage or TooManyPixels."""
    try:
        with Image.open(io.BytesIO(payload), formats=IMAGE_FORMATS) as probe:
            _refuse_too_many_pixels(probe.size)
            probe.verify()
        image = Image.open(io.BytesIO(payload), formats=IMAGE_FORMATS)
        image.seek(0)
        original_size = image.size
        # A JPEG can be decoded straight at 1/2, 1/4 or 1/8 size: far less memory and time.
        image.draft("RGB", (WIDTHS[-1], WIDTHS[-1]))
        image.load()
        return image, original_size
    except MediaRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise TooManyPixels() from error
    except Exception as error:  # Pillow reports broken files with many exception types
        raise NotAnImage() from error


def _refuse_too_many_pixels(size):
    width, height = size
    if width < 1 or height < 1 or width * height > MAX_PIXELS:
        raise TooManyPixels()


def _upright(image):
    """The image turned as the camera said (EXIF orientation), in sRGB; metadata goes later."""
    try:
        image = ImageOps.exif_transpose(image)
    except Exception:  # a damaged EXIF block is no reason to refuse the photo
        pass
    profile = image.info.get("icc_profile")
    if profile and image.mode in ("RGB", "RGBA"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            image = ImageCms.profileToProfile(image, source, SRGB, outputMode=image.mode)
        except Exception:  # an unreadable profile: keep the pixels as they are
            pass
    return image


def _has_transparency(image):
    if image.mode not in ("RGBA", "LA", "PA") and "transparency" not in image.info:
        return False
    return image.convert("RGBA").getchannel("A").getextrema()[0] < 255


def _widths(width):
    """The widths to store: those of WIDTHS below the image's own, and its own up to the largest."""
    widths = [candidate for candidate in WIDTHS if candidate < width]
    if width <= WIDTHS[-1]:
        widths.append(width)
    return widths


def _encoded(image, width, transparent):
    height = max(1, round(image.height * width / image.width))
    if (width, height) != image.size:
        image = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    # A new image from the raw pixels carries nothing else of the upload (EXIF, GPS, XMP, comments).
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    buffer = io.BytesIO()
    if transparent:
        clean.save(buffer, "PNG", optimize=True)
    else:
        clean.save(buffer, "JPEG", quality=JPEG_QUALITY, progressive=True, optimize=True)
    return buffer.getvalue(), height


def _store(files, fields):
    """Write the files, then the record; a failure leaves neither behind."""
    written = []
    try:
        for name, (payload, _description) in files.items():
            path = os.path.join(uploads_folder(), safe_file_name(name))
            atomic_write_bytes(path, payload)
            written.append(path)
        item = db.stamp_new(dict(fields, files=[description for _payload, description in files.values()]))
        with db.transaction(media_path()) as tinydb:
            tinydb.insert(item)
    except BaseException:
        for path in written:
            try:
                os.unlink(path)
            except OSError:
                pass
        raise
    return item
