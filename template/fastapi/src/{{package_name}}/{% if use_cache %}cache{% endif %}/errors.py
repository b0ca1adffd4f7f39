"""Redis being away, where a request cannot do without it."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from redis.exceptions import RedisError

from ..core.errors import AppError


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
