"""Counting attempts per key in a sliding window: rate limits and wrong-PIN throttling.

The counts live in the data folder (store/counts.py), so that every server process on one
data folder sees the same ones: N processes do not allow N times the attempts.
"""
from flask import current_app

from .store.counts import SharedWindow


def window(name, limit, seconds):
    """The named window (at most `limit` events per key in `seconds`), off when RATE_LIMITS is off."""
    return SharedWindow(name, limit, seconds, enabled=current_app.config.get("RATE_LIMITS", True))
