"""Public figures about submissions, computed per file and kept until that file changes.

A page of figures over 100,000 submissions then only adds up a thousand small
summaries instead of reading every submission again.
"""
from collections import Counter
from datetime import date, datetime

import os
import threading

from . import db
from .submissions import forwarding_dates, month_folders, shard_paths, submissions_root

LEFT_OUT_STATUSES = ("spam", "merged")
OPEN_STATUSES = ("received", "forwarded", "in_progress", "extended")
BREAKDOWNS = ("type", "topic", "entity", "municipality", "month")


def _empty():
    summary = {name: Counter() for name in BREAKDOWNS}
    summary.update(total=0, answered=0, on_time=0, forwarded_late=0, days_to_answer=Counter(), open_due=Counter(),
                   open_forward_by=Counter(), first=None, faq=[], examples=0)
    return summary


def _summary(submissions):
    summary = _empty()
    for submission in submissions:
        if submission.get("status") in LEFT_OUT_STATUSES:
            continue
        summary["total"] += 1
        summary["examples"] += submission.get("example") is True
        created = submission.get("created", "")
        for name in BREAKDOWNS:
            key = created[:7] if name == "month" else (submission.get(name) or "")
            summary[name][key] += 1
        summary["first"] = min(filter(None, (summary["first"], created[:10]))) if created else summary["first"]
        if submission.get("answered"):
            summary["answered"] += 1
            summary["on_time"] += submission["answered"][:10] <= submission.get("due", "9999")
            days = (datetime.fromisoformat(submission["answered"]).date()
                    - datetime.fromisoformat(created).date()).days
            summary["days_to_answer"][days] += 1
        elif submission.get("status") in OPEN_STATUSES and submission.get("due"):
            summary["open_due"][submission["due"]] += 1
        forwarding = forwarding_dates(submission)
        if forwarding["forwarded_on"]:
            summary["forwarded_late"] += forwarding["forwarded_on"] > forwarding["forward_by"]
        elif submission.get("status") in OPEN_STATUSES and forwarding["forward_by"]:
            summary["open_forward_by"][forwarding["forward_by"]] += 1
        if submission.get("faq"):
            summary["faq"].append({"topic": submission.get("topic", ""), "question": submission["faq"]["question"],
                                   "answer": submission["faq"]["answer"], "answer_html": submission["faq"]["answer_html"],
                                   "published": submission["faq"]["published"], "id": submission["id"],
                                   "example": submission.get("example") is True})
    return summary


class _Totals:
    """The last sum of the summaries, with the month folders' times it was made from."""

    def __init__(self):
        self.lock = threading.Lock()
        self.key = None
        self.value = None


_totals = {}
_totals_lock = threading.Lock()


def all_figures():
    """The summaries of every file added up; recounted only when a month folder changed.

    Every write renames a file into its month's folder, which changes the folder's time:
    two dozen stats tell whether anything changed among a thousand files.
    """
    root = os.path.realpath(submissions_root())
    with _totals_lock:
        totals = _totals.setdefault(root, _Totals())
    key = figures_key()
    with totals.lock:
        if totals.key != key:
            totals.value, totals.key = _add_up(), key
        return totals.value


def figures_key():
    """Changes whenever any submission file is written: the month folders and their times."""
    root = submissions_root()
    key = []
    for month in month_folders():
        try:
            key.append((month, os.stat(os.path.join(root, month)).st_mtime_ns))
        except FileNotFoundError:
            continue
    return tuple(key)


def _add_up():
    total = _empty()
    for shard in shard_paths():
        part = db.derived(shard, "figures", _summary, release=True)
        for name in BREAKDOWNS + ("days_to_answer", "open_due", "open_forward_by"):
            total[name].update(part[name])
        for name in ("total", "answered", "on_time", "forwarded_late", "examples"):
            total[name] += part[name]
        total["faq"].extend(part["faq"])
        if part["first"] and (not total["first"] or part["first"] < total["first"]):
            total["first"] = part["first"]
    return total


def median_from_counts(counts):
    """The median of values given as {value: how many}."""
    size = sum(counts.values())
    if not size:
        return None
    middle, seen = (size - 1) / 2, 0
    ordered = sorted(counts.items())
    low = high = None
    for value, count in ordered:
        if low is None and seen + count > int(middle):
            low = value
        if seen + count > int(middle + 0.5):
            high = value
            break
        seen += count
    return (low + high) / 2


def overdue_now(open_due, today=None):
    """How many open submissions are past their due date (or forwarding deadline, given open_forward_by) today."""
    today = (today or date.today()).isoformat()
    return sum(count for due, count in open_due.items() if due < today)


def published_questions(topic=None):
    """Questions and answers published with consent (no personal data), newest first."""
    questions = [entry for entry in all_figures()["faq"] if not topic or entry["topic"] == topic]
    return sorted(questions, key=lambda entry: entry["published"], reverse=True)
