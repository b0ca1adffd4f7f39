"""Fixed windows counted in Redis, so every instance of the service sees the same count."""

from redis.asyncio import Redis

from ..core.windows import WINDOW_SECONDS, Window

# Count one hit and read the window in one round trip. The window starts at the first hit
# and is never extended; a key left without a TTL gets one, so no count outlives a window.
_HIT = """
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {hits, ttl}
"""


class RedisWindowCounter:
    def __init__(self, redis: Redis, *, prefix: str, window_seconds: int = WINDOW_SECONDS) -> None:
        self.redis = redis
        self.prefix = prefix
        self.window_seconds = window_seconds
        # EVALSHA, loading the script again if Redis has lost it (a restart).
        self._hit = redis.register_script(_HIT)

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
        count, ttl = await self._hit(keys=[self.prefix + key], args=[self.window_seconds])
        return self._window(count, ttl)

    async def clear(self, key: str) -> None:
        await self.redis.delete(self.prefix + key)
