"""Counting failed sign-ins per email and client, in fixed one-minute windows.

``AttemptCounter`` applies the limit over any ``WindowCounter`` (``core/windows.py``): the
app's ``login_windows`` count in this process, right for a single instance, or with the
cache task in Redis, shared by every instance (``lifespan.py`` of each task).
"""

import hashlib
import time
from typing import Protocol

from ..core.windows import MemoryWindowCounter, Window, WindowCounter


def hashed(key: str) -> str:
    """Keys hold emails: stored only as digests, wherever they are stored."""
    return hashlib.sha256(key.encode()).hexdigest()


class LoginWindows(WindowCounter, Protocol):
    """Window counters sign-in can also read without counting (the rate limit never needs to)."""

    async def peek(self, key: str) -> Window:
        """The current window of ``key``, without counting."""


class MemoryLoginWindows(MemoryWindowCounter):
    async def peek(self, key: str) -> Window:
        now = time.monotonic()
        return self._window(*self._current(key, now), now)


class AttemptCounter:
    def __init__(self, windows: LoginWindows, limit: int) -> None:
        self.windows = windows
        self.limit = limit

    async def blocked_for(self, key: str) -> int:
        """Seconds until ``key`` may try again; 0 when it may try now."""
        window = await self.windows.peek(hashed(key))
        return 0 if window.hits < self.limit else window.reset_seconds

    async def fail(self, key: str) -> None:
        """Count one failed attempt of ``key``."""
        await self.windows.hit(hashed(key))

    async def reset(self, key: str) -> None:
        """Forget ``key``'s failures (after a successful sign-in)."""
        await self.windows.clear(hashed(key))


class MemoryAttemptCounter(AttemptCounter):
    def __init__(self, limit: int) -> None:
        super().__init__(MemoryLoginWindows(), limit)
