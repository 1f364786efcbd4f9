"""Changing what the media library holds: where an item is used, its text, a new file under the same
addresses, and deleting an item nobody uses."""
import os

from flask_babel import lazy_gettext as _l
from PIL import Image
from tinydb import Query

from . import db
from .content import COLLECTIONS, all_documents
from .errors import NotFound, StoreError
from .media import (CONTENT_TYPES, STORED_NAME, NotAPdf, _encoded, _has_transparency, _is_pdf, _open_image,
                    _read_upload, _required_text, _upright, get_media, media_path, uploads_folder)
from .paths import safe_file_name
from .site import load_site
from .storage import atomic_write_bytes


class MediaInUse(StoreError):
    """An item that content or the site still uses; `uses` says where."""

    def __init__(self, uses):
        super().__init__("the item is still used")
        self.uses = uses


def _strings(value):
    """Every string inside a stored value (lists and mappings included)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from _strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner)


def media_usage(item):
    """Where an item is used: (collection, document) of each content document (trashed ones too) that
    links one of its files as /medios/<name>, and ('site', site) when the province's settings do."""
    addresses = ["/medios/" + file["name"] for file in item.get("files", [])]
    names = {file["name"] for file in item.get("files", [])}

    def uses(document):
        return any(address in text for text in _strings(document) for address in addresses)
    found = [(collection, document) for collection in COLLECTIONS for document in all_documents(collection)
             if uses(document)]
    site = load_site()
    if uses(site) or site.get("logo") in names:
        found.append(("site", site))
    return found


def delete_media(media_id):
    """Delete an item and its files; MediaInUse (naming where) while anything still links to it."""
    item = get_media(media_id)
    uses = media_usage(item)
    if uses:
        raise MediaInUse(uses)
    with db.transaction(media_path()) as tinydb:
        if not tinydb.remove(Query().id == media_id):
            raise NotFound(media_id)
    # The record goes first: a file no record lists is never served, so a crash here hides the item whole.
    for file in item["files"]:
        try:
            os.unlink(os.path.join(uploads_folder(), safe_file_name(file["name"])))
        except FileNotFoundError:
            pass
    return item


def set_media_text(media_id, text):
    """Change an image's alternative text, or a document's title."""
    item = get_media(media_id)
    field, missing = (("alt", _l("Escriba el texto alternativo: qué muestra la imagen, para quien no puede verla."))
                      if item["kind"] == "image" else ("title", _l("Escriba el título del documento.")))
    text = _required_text(text, missing)
    with db.transaction(media_path()) as tinydb:
        if not tinydb.update({field: text, "updated": db.utc_now()}, Query().id == media_id):
            raise NotFound(media_id)
    return dict(item, **{field: text})


def replace_media(media_id, file_storage):
    """A new file for an item, checked like an upload, under the same names: every address keeps working."""
    item = get_media(media_id)
    payload = _read_upload(file_storage)
    if item["kind"] == "document":
        if not _is_pdf(payload):
            raise NotAPdf()
        [stored] = item["files"]
        files = {stored["name"]: (payload, dict(stored, bytes=len(payload)))}
        original = {"bytes": len(payload)}
    else:
        files, original = _image_files(item, payload)
    with db.transaction(media_path()) as tinydb:
        if tinydb.get(Query().id == media_id) is None:
            raise NotFound(media_id)
        for name, (content, _description) in files.items():
            atomic_write_bytes(os.path.join(uploads_folder(), safe_file_name(name)), content)
        changes = {"files": [description for _content, description in files.values()], "original": original,
                   "updated": db.utc_now(), "replaced": db.utc_now()}
        tinydb.update(changes, Query().id == media_id)
    return dict(item, **changes)


def _image_files(item, payload):
    """The new image encoded for each stored name: same width (never upscaled) and same file type."""
    decoded, (original_width, original_height) = _open_image(payload)
    image = _upright(decoded)
    if image.size == decoded.size[::-1] != decoded.size:
        original_width, original_height = original_height, original_width
    # The name promises a type: a PNG stays a PNG; a JPEG cannot be transparent, so it goes on white.
    as_png = STORED_NAME.match(item["files"][0]["name"])["extension"] == "png"
    if as_png:
        image = image.convert("RGBA")
    elif _has_transparency(image):
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, "white")
        image.paste(rgba, mask=rgba.getchannel("A"))
    else:
        image = image.convert("RGB")
    files = {}
    for stored in item["files"]:
        width = min(stored["width"], image.width)
        encoded, height = _encoded(image, width, as_png)
        files[stored["name"]] = (encoded, {"name": stored["name"], "width": width, "height": height,
                                           "bytes": len(encoded), "type": CONTENT_TYPES["png" if as_png else "jpg"]})
    return files, {"bytes": len(payload), "width": original_width, "height": original_height}
