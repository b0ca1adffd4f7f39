"""Counting failed sign-ins per email and client, in fixed one-minute windows.

``AttemptCounter`` is the one interface. ``MemoryAttemptCounter`` keeps the counts in
this process, right for a single instance; with the cache task, ``redis_attempts.py``
keeps them in Redis, shared by every instance.
"""

import hashlib
import math
import time
from typing import Protocol

WINDOW_SECONDS = 60
# Past this many keys, finished windows are dropped on the next failure.
_PRUNE_ABOVE = 10_000


class AttemptCounter(Protocol):
    async def blocked_for(self, key: str) -> int:
        """Seconds until ``key`` may try again; 0 when it may try now."""

    async def fail(self, key: str) -> None:
        """Count one failed attempt of ``key``."""

    async def reset(self, key: str) -> None:
        """Forget ``key``'s failures (after a successful sign-in)."""


def hashed(key: str) -> str:
    """Keys hold emails: stored only as digests, wherever they are stored."""
    return hashlib.sha256(key.encode()).hexdigest()


class MemoryAttemptCounter:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        # digest -> (window start, failures in that window)
        self._windows: dict[str, tuple[float, int]] = {}

    def _current(self, key: str) -> tuple[float, int]:
        start, count = self._windows.get(hashed(key), (0.0, 0))
        if time.monotonic() - start >= WINDOW_SECONDS:
            return time.monotonic(), 0
        return start, count

    async def blocked_for(self, key: str) -> int:
        start, count = self._current(key)
        if count < self.limit:
            return 0
        return max(1, math.ceil(start + WINDOW_SECONDS - time.monotonic()))

    async def fail(self, key: str) -> None:
        start, count = self._current(key)
        self._windows[hashed(key)] = (start, count + 1)
        # Keeps memory bounded under a flood of distinct keys.
        if len(self._windows) > _PRUNE_ABOVE:
            now = time.monotonic()
            self._windows = {k: v for k, v in self._windows.items() if now - v[0] < WINDOW_SECONDS}

    async def reset(self, key: str) -> None:
        self._windows.pop(hashed(key), None)
