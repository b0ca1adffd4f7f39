// The cache task's part of the service: the Redis client from start-up to
// shut-down, and what is kept in it for every instance alike: the rate limit's
// counts and the caches of posts and users.
import type { Redis } from "ioredis";

import { API_PREFIX, apiPaths } from "../api.js";
import type { Task } from "../wiring.js";
import { cacheStatus } from "./cache.openapi.js";
import { checkRedis, openRedis } from "./client.js";
import { cacheReads, redisUserCache } from "./middleware.js";
import { postReadAhead, readAhead, type ReadAhead } from "./readahead.js";
import { redisRateLimiter } from "./windows.js";

declare module "../wiring.js" {
  interface AppDeps {
    redis: Redis;
    /** What each API request will read from the cache, asked with its rate-limit count; tasks add theirs. */
    readAhead: ReadAhead[];
  }
}

export const lifespan: Task = {
  /** Open the client (waiting for Redis) and register its readiness check. */
  async open(deps, { retry }, closers) {
    const { config, logger } = deps;
    const redis = await openRedis(config, logger, retry);
    closers.push(() =>
      redis.quit().catch(() => {
        redis.disconnect();
      }),
    );
    deps.redis = redis;
    // Counted in Redis, shared by every instance: the limit holds however many run.
    deps.rateLimiter = redisRateLimiter(redis, config.rateLimitPerMinute);
    deps.userCache = redisUserCache({ redis, ttlSeconds: config.cacheTtlSeconds, logger });
    deps.readiness.redis = () => checkRedis(redis);
    deps.readAhead = [postReadAhead];
  },
  beforeLimits(app, { redis, readAhead: functions }) {
    app.use(apiPaths(), readAhead(redis, functions));
  },
  beforeRoutes(app, { redis, config, logger }) {
    app.use(apiPaths(), cacheReads({ redis, ttlSeconds: config.cacheTtlSeconds, logger }));
  },
  amendments: () => [cacheStatus("get", `${API_PREFIX}/posts/{post_id}`)],
};
