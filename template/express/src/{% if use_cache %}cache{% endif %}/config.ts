// The cache task's settings, merged into the service's by src/settings.ts.
import { z } from "zod";

import { integer, required } from "../core/config.js";

const redisUrl = z.string(required).refine((value) => /^rediss?:\/\//.test(value) && URL.canParse(value), {
  message: "must look like redis://host:port/db",
});

export const cacheSettings = {
  REDIS_URL: redisUrl,
  // How long a cached read (GET /api/v1/posts/{id}) lives in Redis.
  CACHE_TTL_SECONDS: integer(1, 31_536_000).default(60),
};
