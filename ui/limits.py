"""Rate limits: how many actions a key (a session, a client address) may take in a sliding window.
In this process's memory: each app server counts its own visitors."""
from __future__ import annotations

import threading
import time
from collections import deque


class SlidingWindow:
    """At most `limit` events per `seconds` for each key; thread-safe. Keys idle for a window are forgotten."""

    def __init__(self, limit: int, seconds: float):
        self.limit, self.seconds = limit, seconds
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        """Count one event for `key` if it is within the limit; False (nothing counted) if not."""
        now = time.monotonic() if now is None else now
        with self._lock:
            events = self._events.setdefault(key, deque())
            while events and events[0] <= now - self.seconds:
                events.popleft()
            if len(self._events) > 10_000:  # many one-off keys: forget the idle ones
                self._events = {k: v for k, v in self._events.items() if v and v[-1] > now - self.seconds}
                events = self._events.setdefault(key, events)
            if len(events) >= self.limit:
                return False
            events.append(now)
            return True
