"""Keeping personal data no longer than the province's retention period."""
import os

from . import db
from .submissions import KEPT_SHARDS, shard_paths

PERSONAL_FIELDS = ("name", "email", "phone", "subject", "message")


def anonymise_older_than(cutoff):
    """Remove personal data from submissions received before cutoff (ISO date); returns how many."""
    changed = 0
    for shard in shard_paths():
        if os.path.basename(os.path.dirname(shard)) > cutoff[:7]:
            continue  # the whole month is newer than the cutoff
        with db.transaction(shard, KEPT_SHARDS) as tinydb:
            for stored in tinydb.all():
                if stored.get("created", "") >= cutoff or stored.get("anonymised"):
                    continue
                cleared = {field: "" for field in PERSONAL_FIELDS}
                cleared.update(replies=[], anonymised=db.utc_now(), updated=db.utc_now())
                tinydb.update(cleared, doc_ids=[stored.doc_id])
                changed += 1
    return changed
