"""The cache task's part of the app: the Redis caches and counters, the client while it runs."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI
from redis.exceptions import RedisError

from ..api import API_PREFIX
from ..core.commands import Command
from ..core.openapi import Amendment
from ..posts.cache import get_post_cache
from ..users.cache import get_user_cache
from .aside import CacheAside, KeyLocks
from .client import check_redis, open_redis
from .errors import RequiredWindows
from .openapi import cache_status
from .reads import RedisUserCache, get_redis_post_cache, get_redis_user_cache
from .windows import RedisWindowCounter

if TYPE_CHECKING:
    from ..settings import Settings


COMMANDS: tuple[Command, ...] = ()


def install(app: FastAPI, amendments: list[Amendment]) -> None:
    amendments.append(cache_status("get", API_PREFIX + "/posts/{post_id}"))
    # Concurrent misses of one key in this process queue on one lock (aside.py).
    app.state.cache_locks = KeyLocks()
    # The routes' posts and users caches (posts/cache.py, users/cache.py) become Redis's.
    app.dependency_overrides[get_post_cache] = get_redis_post_cache
    app.dependency_overrides[get_user_cache] = get_redis_user_cache
    # An outage of the shared rate-limit counter serves requests unlimited.
    app.state.counter_errors = (RedisError, OSError)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the client (waiting for Redis), register its readiness check, close it."""
    settings: Settings = app.state.settings
    async with open_redis(settings) as redis:
        state = app.state
        state.redis = redis
        # Shared by every instance: the limits hold however many run.
        state.rate_limit_windows = RedisWindowCounter(redis, prefix="rate-limit:")
        # Failed sign-ins, with the auth task: sign-in needs the count, so while Redis is
        # away it is refused with a 503 rather than let through without a limit.
        state.login_windows = RequiredWindows(RedisWindowCounter(redis, prefix="login-failures:"))
        # Reads only: one cache-aside for the whole app (users/cache.py's caller_cache).
        state.caller_cache = RedisUserCache(
            CacheAside(redis, ttl_seconds=settings.cache_ttl_seconds, locks=state.cache_locks)
        )
        state.readiness_checks["redis"] = lambda: check_redis(redis)
        yield
