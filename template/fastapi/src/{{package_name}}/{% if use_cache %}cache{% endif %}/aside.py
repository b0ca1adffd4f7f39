"""Cache-aside reads over Redis, with stampede protection and a fallback when Redis fails.

A miss is computed once: concurrent misses of one key in this process queue on an
asyncio lock, and across processes one holder takes a short Redis lock (SET NX PX)
while the others wait for its value. A Redis error never fails a read: the value is
computed from the source and the error is logged as a warning.
"""

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TypeVar

from fastapi import BackgroundTasks
from redis.asyncio import Redis
from redis.exceptions import RedisError

from .readahead import NOT_READ, take

logger = logging.getLogger(__name__)

# Longer than a load takes; a holder that dies only delays the others this long.
LOCK_MILLISECONDS = 3000
_LOCK_POLL_SECONDS = 0.05
T = TypeVar("T")

# Deletes the lock only while it is still ours (it may have expired and been retaken).
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end"


@dataclass(frozen=True, slots=True)
class Loaded:
    value: str
    # Groups this value belongs to, so that ``forget_tagged`` drops it with the group.
    tags: Sequence[str] = ()


class KeyLocks:
    """One asyncio lock per key, kept only while someone holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


@dataclass
class _Attempt:
    """One read; after the first Redis error it stops calling Redis."""

    redis_ok: bool = True


class CacheAside:
    def __init__(
        self,
        redis: Redis,
        *,
        ttl_seconds: int,
        locks: KeyLocks,
        after_response: BackgroundTasks | None = None,
    ) -> None:
        self.redis = redis
        self.ttl_seconds = ttl_seconds
        self.locks = locks
        # What this request dropped, to drop once more after its transaction commits: in
        # ``after_response``, the request's background tasks, once it drops something
        # (a read schedules nothing), or when the caller runs ``forget_again``.
        self._after_response = after_response
        self._dropped_keys: list[str] = []
        self._dropped_tags: list[str] = []

    async def get_or_load(
        self, key: str, load: Callable[[], Awaitable[Loaded]]
    ) -> tuple[str, bool]:
        """The value of ``key`` and whether it came from the cache (a hit)."""
        attempt = _Attempt()
        cached = await self._read(attempt, key)
        if cached is not None:
            return cached, True
        async with self.locks.hold(key):
            # Another request of this process may have loaded it while this one waited.
            cached = await self._read(attempt, key)
            if cached is not None:
                return cached, True
            token = uuid.uuid4().hex
            owner = await self._lock(attempt, key, token)
            try:
                # The lock's owner reads once more: another process may have stored the
                # value just before releasing the lock. The others wait for the owner's value.
                cached = await (self._read(attempt, key) if owner else self._wait_for(attempt, key))
                if cached is not None:
                    return cached, True
                loaded = await load()
                await self._write(attempt, key, loaded)
            finally:
                if owner:
                    await self._unlock(attempt, key, token)
        return loaded.value, False

    async def forget(self, *keys: str) -> None:
        """Drop ``keys``; a Redis error leaves them to expire with their TTL."""
        self._drop_again_later()
        self._dropped_keys.extend(keys)
        await self._delete(*keys)

    async def forget_tagged(self, tag: str) -> None:
        """Drop every value stored with ``tag``."""
        self._drop_again_later()
        self._dropped_tags.append(tag)
        await self._delete_tagged(tag)

    async def forget_again(self) -> None:
        """Drop again what this request dropped, once its transaction has committed.

        A read between the first drop and the commit may have cached the old row; this
        second drop bounds that staleness to the moment between commit and now.
        """
        keys, tags = self._dropped_keys, self._dropped_tags
        self._dropped_keys, self._dropped_tags = [], []
        if keys:
            await self._delete(*keys)
        for tag in tags:
            await self._delete_tagged(tag)

    def _drop_again_later(self) -> None:
        if self._after_response is not None and not (self._dropped_keys or self._dropped_tags):
            self._after_response.add_task(self.forget_again)

    async def _delete(self, *keys: str) -> None:
        try:
            await self.redis.delete(*keys)
        except RedisError:
            logger.warning(
                "cache invalidation failed; entries expire with their TTL", exc_info=True
            )

    async def _delete_tagged(self, tag: str) -> None:
        name = "tag:" + tag
        try:
            keys = await self.redis.smembers(name)
            await self.redis.delete(name, *keys)
        except RedisError:
            logger.warning(
                "cache invalidation failed; entries expire with their TTL", exc_info=True
            )

    async def _call(self, attempt: _Attempt, operation: Callable[[], Awaitable[T]]) -> T | None:
        if not attempt.redis_ok:
            return None
        try:
            return await operation()
        except RedisError:
            attempt.redis_ok = False
            logger.warning("cache unavailable; reading from the database", exc_info=True)
            return None

    async def _read(self, attempt: _Attempt, key: str) -> str | None:
        ahead = take(key)
        if ahead is not NOT_READ:
            return ahead
        value = await self._call(attempt, lambda: self.redis.get(key))
        return None if value is None else str(value)

    async def _write(self, attempt: _Attempt, key: str, loaded: Loaded) -> None:
        async def write() -> None:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.set(key, loaded.value, ex=self.ttl_seconds)
                for tag in loaded.tags:
                    pipe.sadd("tag:" + tag, key)
                    pipe.expire("tag:" + tag, self.ttl_seconds, gt=True)
                    pipe.expire("tag:" + tag, self.ttl_seconds, nx=True)
                await pipe.execute()

        await self._call(attempt, write)

    async def _lock(self, attempt: _Attempt, key: str, token: str) -> bool:
        taken = await self._call(
            attempt, lambda: self.redis.set("lock:" + key, token, nx=True, px=LOCK_MILLISECONDS)
        )
        # Without Redis there is nobody to coordinate with: load.
        return bool(taken) or not attempt.redis_ok

    async def _unlock(self, attempt: _Attempt, key: str, token: str) -> None:
        await self._call(attempt, lambda: self.redis.eval(_RELEASE, 1, "lock:" + key, token))

    async def _wait_for(self, attempt: _Attempt, key: str) -> str | None:
        """The value another process is loading, or None when its lock ends without one."""
        for _ in range(LOCK_MILLISECONDS // int(_LOCK_POLL_SECONDS * 1000)):
            await asyncio.sleep(_LOCK_POLL_SECONDS)
            cached = await self._read(attempt, key)
            if cached is not None or not attempt.redis_ok:
                return cached
            if not await self._call(attempt, lambda: self.redis.exists("lock:" + key)):
                return await self._read(attempt, key)
        return None
