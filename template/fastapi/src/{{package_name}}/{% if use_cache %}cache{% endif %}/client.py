"""The Redis client and its connection pool, created in the app's lifespan."""

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.connection import AbstractConnection
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from ..core.retry import retry
from .config import CacheSettings

CONNECT_TIMEOUT_SECONDS = 5.0
COMMAND_TIMEOUT_SECONDS = 5.0
# How long a command waits for a free connection when all REDIS_POOL_SIZE are busy.
POOL_WAIT_SECONDS = 5.0
HEALTH_CHECK_INTERVAL_SECONDS = 30


class FailFastPool(BlockingConnectionPool):
    """A pool that, once Redis could not be reached, fails at once for ``PAUSE_SECONDS``.

    While Redis is away, every command of every request would try to connect again, with
    the retry's backoff: a request that falls back to the database would wait on each of its
    Redis calls. Here one attempt a pause is made; the others fail at once, and Redis is
    used again at most ``PAUSE_SECONDS`` after it is back. A command that found no free
    connection within ``POOL_WAIT_SECONDS`` pauses the pool too: for that second, requests
    fall back to the database rather than queue for a saturated Redis.
    """

    PAUSE_SECONDS = 1.0
    _unreachable_until = 0.0

    async def get_connection(self, *args: object, **options: object) -> AbstractConnection:
        if time.monotonic() < self._unreachable_until:
            msg = "Redis could not be reached a moment ago; not trying again yet"
            raise RedisConnectionError(msg)
        try:
            # redis-py leaves this method untyped.
            connection: AbstractConnection = await super().get_connection(  # type: ignore[no-untyped-call]
                *args, **options
            )
        except (RedisConnectionError, RedisTimeoutError):
            self._unreachable_until = time.monotonic() + self.PAUSE_SECONDS
            raise
        return connection


def create_redis(settings: CacheSettings) -> Redis:
    """A client over a pool of at most REDIS_POOL_SIZE connections; nothing connects yet."""
    pool = FailFastPool.from_url(
        settings.redis_url,
        max_connections=settings.redis_pool_size,
        timeout=POOL_WAIT_SECONDS,
        socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
        socket_timeout=COMMAND_TIMEOUT_SECONDS,
        health_check_interval=HEALTH_CHECK_INTERVAL_SECONDS,
        # One quick reconnect covers a pooled connection that Redis closed; longer outages
        # surface as errors (start-up has its own retry, readiness its own timeout).
        retry=Retry(ExponentialWithJitterBackoff(cap=0.5, base=0.05), retries=1),
        decode_responses=True,
    )
    # from_pool: closing the client closes the pool too.
    return Redis.from_pool(pool)


async def check_redis(redis: Redis) -> None:
    """PING; raises when Redis cannot be reached."""
    await redis.ping()


@asynccontextmanager
async def open_redis(settings: CacheSettings) -> AsyncIterator[Redis]:
    """Create the client, wait for Redis (with retries), and close the pool on exit."""
    redis = create_redis(settings)
    try:
        await retry(lambda: check_redis(redis), what="Redis", retry_on=(OSError, RedisError))
        yield redis
    finally:
        await redis.aclose()
