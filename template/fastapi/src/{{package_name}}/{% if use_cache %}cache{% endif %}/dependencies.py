"""The shared Redis client, for routes that cache or count, and the request's cache-aside."""

from typing import Annotated

from fastapi import BackgroundTasks, Depends, Request
from redis.asyncio import Redis

from .aside import CacheAside


async def get_redis(request: Request) -> Redis:
    redis: Redis = request.app.state.redis
    return redis


RedisDep = Annotated[Redis, Depends(get_redis)]


def request_cache(request: Request, after_response: BackgroundTasks) -> CacheAside:
    """The request's cache-aside, one for all its caches.

    What it drops is dropped again in a background task: those run once the response is
    sent, so after the request's transaction committed (its session closes before sending).
    """
    cache: CacheAside | None = getattr(request.state, "cache_aside", None)
    if cache is None:
        state = request.app.state
        cache = request.state.cache_aside = CacheAside(
            state.redis,
            ttl_seconds=state.settings.cache_ttl_seconds,
            locks=state.cache_locks,
            after_response=after_response,
        )
    return cache
