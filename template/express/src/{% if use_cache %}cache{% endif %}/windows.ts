// The rate limit counted in Redis, so every instance of the service sees the same
// count: one atomic script per request (SET NX EX, INCRBY, PTTL), the same fixed
// window as the in-process counter of core/limits.ts.
import type { Redis } from "ioredis";
import { RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";

import { RATE_LIMIT_PREFIX, RATE_LIMIT_WINDOW_SECONDS } from "../core/limits.js";

export function redisRateLimiter(redis: Redis, limit: number): RateLimiterAbstract {
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: RATE_LIMIT_PREFIX,
    points: limit,
    duration: RATE_LIMIT_WINDOW_SECONDS,
    // While Redis is away, fail at once (and serve unlimited) instead of waiting on it.
    rejectIfRedisNotReady: true,
  });
}
