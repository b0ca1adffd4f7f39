"""Fixed windows counted in Redis, so every instance of the service sees the same count."""

from redis.asyncio import Redis

from ..core.windows import WINDOW_SECONDS, Window


class RedisWindowCounter:
    def __init__(self, redis: Redis, *, prefix: str, window_seconds: int = WINDOW_SECONDS) -> None:
        self.redis = redis
        self.prefix = prefix
        self.window_seconds = window_seconds

    def _window(self, count: object, ttl: object) -> Window:
        # TTL is -2 for a missing key; a fresh window then ends a full window from now.
        seconds = int(str(ttl))
        return Window(int(str(count or 0)), seconds if seconds > 0 else self.window_seconds)

    async def peek(self, key: str) -> Window:
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.get(self.prefix + key)
            pipe.ttl(self.prefix + key)
            count, ttl = await pipe.execute()
        return self._window(count, ttl)

    async def hit(self, key: str) -> Window:
        name = self.prefix + key
        # One round trip; the window starts at the first hit and is never extended.
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, self.window_seconds, nx=True)
            pipe.ttl(name)
            count, _, ttl = await pipe.execute()
        return self._window(count, ttl)

    async def clear(self, key: str) -> None:
        await self.redis.delete(self.prefix + key)
