"""Public figures about online requests and about the channels cases arrive by, summed per file.

Each requests file is summarised once per version (db.derived), like the figures of messages, so the
page adds up small summaries instead of reading every request again.
"""
from collections import Counter
from datetime import datetime

from . import db
from .requests import SHARDS
from .submissions import shard_paths as submission_shards


def _procedure_summary():
    return {"received": 0, "resolved": 0, "on_time": 0, "days": Counter()}


def _request_summary(requests):
    by_procedure, channels = {}, Counter()
    for request_document in requests:
        channels[request_document.get("channel") or "web"] += 1
        summary = by_procedure.setdefault(request_document.get("procedure", ""), _procedure_summary())
        summary["received"] += 1
        resolved, created = request_document.get("resolved"), request_document.get("created", "")
        if not resolved or not created:
            continue
        summary["resolved"] += 1
        summary["on_time"] += resolved[:10] <= request_document.get("due", "9999")
        days = (datetime.fromisoformat(resolved).date() - datetime.fromisoformat(created).date()).days
        summary["days"][max(days, 0)] += 1
    return {"procedures": by_procedure, "channels": channels}


def _channel_summary(submissions):
    # Messages stored before channels were recorded all came through the web form.
    return Counter(submission.get("channel") or "web" for submission in submissions
                   if submission.get("status") not in ("spam", "merged"))


def request_figures():
    """{"procedures": {slug: received, resolved, on_time, days Counter}, "channels": Counter} of every request."""
    total = {"procedures": {}, "channels": Counter()}
    for shard in SHARDS.shard_paths():
        part = db.derived(shard, "request-figures", _request_summary, release=True)
        total["channels"].update(part["channels"])
        for slug, summary in part["procedures"].items():
            kept = total["procedures"].setdefault(slug, _procedure_summary())
            for name in ("received", "resolved", "on_time"):
                kept[name] += summary[name]
            kept["days"].update(summary["days"])
    return total


def message_channels():
    """How many messages arrived by each channel (web, in_person, phone, letter)."""
    channels = Counter()
    for shard in submission_shards():
        channels.update(db.derived(shard, "channel-figures", _channel_summary, release=True))
    return channels
