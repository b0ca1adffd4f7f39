"""Redis being away, where a request cannot do without it."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from redis.exceptions import RedisError

from ..core.errors import AppError
from ..core.windows import Window, WindowCounter


class CacheUnavailableError(AppError):
    """Redis cannot be reached and the request has no safe way around it: retry shortly."""

    log_level = logging.WARNING

    def __init__(self) -> None:
        super().__init__(
            "cache_unavailable",
            "The cache is unavailable; retry after the Retry-After delay.",
            status=503,
            headers={"Retry-After": "1"},
        )


@contextmanager
def redis_required() -> Iterator[None]:
    """Turn Redis failing (refused, reset, timed out) into a 503 instead of a 500."""
    try:
        yield
    except (RedisError, OSError) as exc:
        raise CacheUnavailableError from exc


class RequiredWindows:
    """Counts a request cannot go on without (failed sign-ins): Redis away is a 503."""

    def __init__(self, windows: WindowCounter) -> None:
        self.windows = windows

    async def peek(self, key: str) -> Window:
        with redis_required():
            return await self.windows.peek(key)

    async def hit(self, key: str) -> Window:
        with redis_required():
            return await self.windows.hit(key)

    async def clear(self, key: str) -> None:
        with redis_required():
            await self.windows.clear(key)
