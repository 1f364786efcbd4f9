"""The audit log: who did what and when, appended, one file per month under data/audit/."""
import os

from . import db
from .paths import data_dir, data_path

# The actor of what the operator does with `flask --app app ...` on the server.
COMMAND_LINE = "command line"
# The target of a command that concerned every address, not one.
EVERY_ADDRESS = "every address"


def audit_path(month):
    """data/audit/YYYY-MM.json."""
    return data_path("audit", month + ".json")


def record(actor, action, target="", detail="", address="", title="", facts=None):
    """Append one entry to the audit log. title is the item's title at the time (the log outlives renames and
    deletions); facts are the few values its sentence needs (the entity forwarded to, the days granted…)."""
    entry = db.stamp_new({"actor": actor, "action": action, "target": target, "detail": str(detail),
                          "address": address, "title": title, "facts": dict(facts or {})})
    path = audit_path(entry["created"][:7])
    with db.transaction(path) as tinydb:
        tinydb.insert(entry)
    _give_to_data_owner(os.path.dirname(path), path, path + ".lock")
    return entry


def _give_to_data_owner(*paths):
    """Written by root (a command run with sudo), the log's files get the data folder's owner: the server must
    go on writing them."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return
    owner = os.stat(data_dir())
    for path in paths:
        try:
            os.lchown(path, owner.st_uid, owner.st_gid)
        except FileNotFoundError:
            continue


def recent(month, limit=200):
    """The latest entries of a month, newest first."""
    with db.reading(audit_path(month)) as tinydb:
        return list(reversed(tinydb.all()))[:limit]
