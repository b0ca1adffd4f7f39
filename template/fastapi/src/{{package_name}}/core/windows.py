"""Counting events per key in fixed windows: the one interface behind every limit.

``WindowCounter`` is the interface. ``MemoryWindowCounter`` keeps the counts in this
process, right for a single instance; with the cache task, ``cache/windows.py`` keeps
them in Redis, shared by every instance. Sign-in attempts and the request rate limit
both count through it.
"""

import math
import time
from typing import NamedTuple, Protocol

WINDOW_SECONDS = 60
# Past this many keys, finished windows are dropped on the next hit.
_PRUNE_ABOVE = 10_000


class Window(NamedTuple):
    hits: int
    # Whole seconds until the window ends and the count starts again from 0.
    reset_seconds: int


class WindowCounter(Protocol):
    async def hit(self, key: str) -> Window:
        """Count one event of ``key``; the window as it is after counting it."""

    async def clear(self, key: str) -> None:
        """Forget ``key``'s count."""


class RequestWindows(WindowCounter, Protocol):
    """The request rate limit's counter, which can read cached values on the way."""

    async def hit_reading(self, key: str, reads: list[str]) -> tuple[Window, dict[str, str | None]]:
        """``hit``, and the values of ``reads`` that the counter's store holds, if it has any."""


class MemoryWindowCounter:
    def __init__(self, window_seconds: int = WINDOW_SECONDS) -> None:
        self.window_seconds = window_seconds
        # key -> (window start, events in that window)
        self._windows: dict[str, tuple[float, int]] = {}

    def _current(self, key: str, now: float) -> tuple[float, int]:
        start, count = self._windows.get(key, (now, 0))
        if now - start >= self.window_seconds:
            return now, 0
        return start, count

    def _window(self, start: float, count: int, now: float) -> Window:
        # Elapsed time first: (start + 60) - now can round to 60.000…01 and read as 61.
        return Window(count, max(1, math.ceil(self.window_seconds - (now - start))))

    async def hit(self, key: str) -> Window:
        now = time.monotonic()
        start, count = self._current(key, now)
        self._windows[key] = (start, count + 1)
        # Keeps memory bounded under a flood of distinct keys.
        if len(self._windows) > _PRUNE_ABOVE:
            self._windows = {
                k: v for k, v in self._windows.items() if now - v[0] < self.window_seconds
            }
        return self._window(start, count + 1, now)

    async def hit_reading(
        self, key: str, _reads: list[str]
    ) -> tuple[Window, dict[str, str | None]]:
        # No cached values live in this process: nothing is read ahead.
        return await self.hit(key), {}

    async def clear(self, key: str) -> None:
        self._windows.pop(key, None)
