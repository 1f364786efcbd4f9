"""Counting attempts per key in a sliding window (rate limits, PIN and login throttling).

Counts live in memory, per process, behind a lock: a restart forgets them, which
is acceptable for slowing abuse down and never locks anyone out for long.
"""
import threading
import time
from collections import deque

from flask import current_app


class SlidingWindow:
    """At most `limit` events per key in the last `seconds`."""

    def __init__(self, limit, seconds):
        self.limit = limit
        self.seconds = seconds
        self._events = {}
        self._lock = threading.Lock()

    def _recent(self, key, now):
        events = self._events.get(key)
        if events is None:
            return deque()
        while events and events[0] <= now - self.seconds:
            events.popleft()
        if not events:
            del self._events[key]
        return events

    def exceeded(self, key, now=None):
        """True when the key already used its allowance."""
        if not current_app.config.get("RATE_LIMITS", True):
            return False
        now = time.monotonic() if now is None else now
        with self._lock:
            return len(self._recent(key, now)) >= self.limit

    def hit(self, key, now=None):
        """Count one event for the key."""
        now = time.monotonic() if now is None else now
        with self._lock:
            events = self._recent(key, now)
            events.append(now)
            self._events[key] = events
            if len(self._events) > 100_000:  # a flood of distinct keys must not eat the memory
                self._forget_oldest()

    def retry_after(self, key, now=None):
        """Seconds until the key may try again (0 when it may now)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            events = self._recent(key, now)
            if len(events) < self.limit:
                return 0
            return max(1, int(events[0] + self.seconds - now) + 1)

    def clear(self, key):
        """Forget a key's events (after a success)."""
        with self._lock:
            self._events.pop(key, None)

    def _forget_oldest(self):
        oldest = sorted(self._events, key=lambda key: self._events[key][-1])[: len(self._events) // 2]
        for key in oldest:
            del self._events[key]


def windows(app):
    """The app's named windows, created from its settings."""
    return app.extensions.setdefault("redpinar_limits", {})


def window(name, limit, seconds):
    """The named window of the current app (created on first use)."""
    named = windows(current_app)
    with _creation_lock:
        if name not in named:
            named[name] = SlidingWindow(limit, seconds)
        return named[name]


_creation_lock = threading.Lock()
