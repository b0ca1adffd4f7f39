"""Counting failed sign-ins per email and client, in fixed one-minute windows.

``AttemptCounter`` applies the limit over any ``WindowCounter`` (``core/windows.py``): the
app's ``login_windows`` count in this process, right for a single instance, or with the
cache task in Redis, shared by every instance (``lifespan.py`` of each task).
"""

import hashlib

from ..core.windows import MemoryWindowCounter, WindowCounter


def hashed(key: str) -> str:
    """Keys hold emails: stored only as digests, wherever they are stored."""
    return hashlib.sha256(key.encode()).hexdigest()


class AttemptCounter:
    def __init__(self, windows: WindowCounter, limit: int) -> None:
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
        super().__init__(MemoryWindowCounter(), limit)
