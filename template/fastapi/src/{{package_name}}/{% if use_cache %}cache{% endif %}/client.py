"""The Redis client and its connection pool, created in the app's lifespan."""

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import ConnectionPool, Redis
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


class FailFastPool(ConnectionPool):
    """At most ``max_connections`` connections, handed to waiting commands in arrival order.

    redis-py's ``BlockingConnectionPool`` wakes one waiter when a connection comes back, but
    a command arriving meanwhile takes it first, and the woken one waits again at the back
    of the queue: under load a few requests waited for seconds. Here a returned connection
    goes straight to the oldest waiter, and a command waits at most ``wait_seconds``.

    Once Redis could not be reached, the pool fails at once for ``PAUSE_SECONDS``: while
    Redis is away, every command of every request would try to connect again, with the
    retry's backoff, and a request that falls back to the database would wait on each of
    its Redis calls. Here one attempt is made a pause; the others fail at once, and Redis
    is used again at most ``PAUSE_SECONDS`` after it is back. A command that found no free
    connection within ``wait_seconds`` pauses the pool too: for that second, requests fall
    back to the database rather than queue for a saturated Redis.
    """

    PAUSE_SECONDS = 1.0
    _unreachable_until = 0.0

    def __init__(self, *, wait_seconds: float, **options: object) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.wait_seconds = wait_seconds
        self._free = self.max_connections
        self._waiters: deque[asyncio.Future[None]] = deque()

    async def get_connection(self, *_args: object, **_options: object) -> AbstractConnection:
        if time.monotonic() < self._unreachable_until:
            msg = "Redis could not be reached a moment ago; not trying again yet"
            raise RedisConnectionError(msg)
        await self._take_turn()
        # Never more than max_connections: each connection out holds one turn.
        connection: AbstractConnection = self.get_available_connection()  # type: ignore[no-untyped-call]
        try:
            await self.ensure_connection(connection)
        except BaseException as exc:
            await self.release(connection)
            if isinstance(exc, RedisConnectionError | RedisTimeoutError):
                self._pause()
            raise
        return connection

    async def release(self, connection: AbstractConnection) -> None:
        try:
            await super().release(connection)
        finally:
            self._hand_on()

    async def _take_turn(self) -> None:
        if self._free > 0 and not self._waiters:
            self._free -= 1
            return
        turn = asyncio.get_running_loop().create_future()
        self._waiters.append(turn)
        try:
            async with asyncio.timeout(self.wait_seconds):
                await turn
        except BaseException as exc:
            if turn.done() and not turn.cancelled():
                self._hand_on()  # given a connection as the wait ended: the next one takes it
            elif turn in self._waiters:  # a hand-on may have dropped it already
                self._waiters.remove(turn)
            if isinstance(exc, TimeoutError):
                self._pause()
                msg = f"No Redis connection came free within {self.wait_seconds:g} s"
                raise RedisConnectionError(msg) from exc
            raise

    def _hand_on(self) -> None:
        """A connection came back: to the oldest command still waiting, else to the pool."""
        while self._waiters:
            turn = self._waiters.popleft()
            if not turn.done():
                turn.set_result(None)
                return
        self._free += 1

    def _pause(self) -> None:
        self._unreachable_until = time.monotonic() + self.PAUSE_SECONDS


def create_redis(settings: CacheSettings) -> Redis:
    """A client over a pool of at most REDIS_POOL_SIZE connections; nothing connects yet."""
    pool = FailFastPool.from_url(
        settings.redis_url,
        max_connections=settings.redis_pool_size,
        wait_seconds=POOL_WAIT_SECONDS,
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
