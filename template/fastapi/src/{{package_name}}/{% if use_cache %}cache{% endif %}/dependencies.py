"""The shared Redis client, for routes that cache or count, and the request's cache-aside."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from redis.asyncio import Redis

from .aside import CacheAside


async def get_redis(request: Request) -> Redis:
    redis: Redis = request.app.state.redis
    return redis


RedisDep = Annotated[Redis, Depends(get_redis)]


def cache_of(request: Request) -> CacheAside:
    """A cache over the app's client and locks; a plain function, for dependencies to call."""
    state = request.app.state
    return CacheAside(
        state.redis, ttl_seconds=state.settings.cache_ttl_seconds, locks=state.cache_locks
    )


async def get_cache(request: Request) -> AsyncIterator[CacheAside]:
    """The cache for one request; what it dropped is dropped again after the response.

    The default (request) scope runs the code after ``yield`` once the response is sent,
    so after the request's transaction committed (its session closes before sending).
    """
    cache = cache_of(request)
    yield cache
    await cache.forget_again()


CacheDep = Annotated[CacheAside, Depends(get_cache)]
