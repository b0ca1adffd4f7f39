"""The shared Redis client, for routes that cache or count, and the cache-aside reader."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from redis.asyncio import Redis

from .aside import CacheAside


async def get_redis(request: Request) -> Redis:
    redis: Redis = request.app.state.redis
    return redis


RedisDep = Annotated[Redis, Depends(get_redis)]


async def get_cache(request: Request, redis: RedisDep) -> AsyncIterator[CacheAside]:
    """The cache for one request; what it dropped is dropped again after the response.

    The default (request) scope runs the code after ``yield`` once the response is sent,
    so after the request's transaction committed (its session closes before sending).
    """
    state = request.app.state
    cache = CacheAside(redis, ttl_seconds=state.settings.cache_ttl_seconds, locks=state.cache_locks)
    yield cache
    await cache.forget_again()


CacheDep = Annotated[CacheAside, Depends(get_cache)]


async def get_cache_reader(request: Request, redis: RedisDep) -> CacheAside:
    """The cache for a dependency that only reads: nothing to drop again after the response."""
    state = request.app.state
    return CacheAside(redis, ttl_seconds=state.settings.cache_ttl_seconds, locks=state.cache_locks)


CacheReaderDep = Annotated[CacheAside, Depends(get_cache_reader)]
