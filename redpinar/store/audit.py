"""The audit log: who did what and when, appended, one file per month under data/audit/."""
from . import db
from .paths import data_path


def audit_path(month):
    """data/audit/YYYY-MM.json."""
    return data_path("audit", month + ".json")


def record(actor, action, target="", detail="", address=""):
    """Append one entry to the audit log."""
    entry = db.stamp_new({"actor": actor, "action": action, "target": target, "detail": detail,
                          "address": address})
    with db.transaction(audit_path(entry["created"][:7])) as tinydb:
        tinydb.insert(entry)
    return entry


def recent(month, limit=200):
    """The latest entries of a month, newest first."""
    with db.reading(audit_path(month)) as tinydb:
        return list(reversed(tinydb.all()))[:limit]
