"""Where things live inside the data folder; every name is checked before it is joined."""
import os
import re

from flask import current_app

from .errors import InvalidName

COLLECTION_NAME = re.compile(r"^[a-z][a-z_]{0,39}$")
SAFE_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def data_dir():
    """The data folder of the running app."""
    return current_app.config["DATA_DIR"]


def data_path(*parts):
    """A path inside the data folder."""
    return os.path.join(data_dir(), *parts)


def collection_path(collection):
    """The TinyDB file of a content collection."""
    if not COLLECTION_NAME.match(collection or ""):
        raise InvalidName(f"not a collection name: {collection!r}")
    return data_path("content", collection + ".json")


def safe_file_name(name):
    """Return name when it is a plain file name (no folders, no dot files), else raise InvalidName."""
    if not isinstance(name, str) or not SAFE_FILE_NAME.match(name) or ".." in name:
        raise InvalidName(f"not a file name: {name!r}")
    return name
