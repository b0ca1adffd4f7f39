// Gives each /api/v1 request the posts cache (posts/posts.cache.ts) over
// cache-aside in Redis, and drops again what the request dropped once its
// response is done, so after its writes committed.
import type { RequestHandler } from "express";
import type { Redis } from "ioredis";
import type { Logger } from "pino";

import type { PostCache } from "../posts/posts.cache.js";
import type { PostPublic } from "../posts/posts.schema.js";
import { CacheAside, KeyLocks } from "./aside.js";
import { authorTag, postKey } from "./keys.js";

export interface CacheReadsOptions {
  redis: Redis;
  ttlSeconds: number;
  logger: Logger;
}

function postCacheOver(cache: CacheAside): PostCache {
  return {
    read: async (id, load) => {
      const [value, hit] = await cache.getOrLoad(postKey(id), async () => {
        const post = await load();
        return { value: JSON.stringify(post), tags: [authorTag(post.author_id)] };
      });
      return { post: JSON.parse(value) as PostPublic, hit };
    },
    forgetPost: (id) => cache.forget(postKey(id)),
    forgetAuthor: (authorId) => cache.forgetTagged(authorTag(authorId)),
  };
}

export function cacheReads({ redis, ttlSeconds, logger }: CacheReadsOptions): RequestHandler {
  // Shared by every request of this app: concurrent misses of one key queue here.
  const locks = new KeyLocks();
  return (_req, res, next) => {
    const cache = new CacheAside(redis, { ttlSeconds, locks, logger });
    res.locals.postCache = postCacheOver(cache);
    // "close" comes after the response is sent, or after the client went away.
    res.once("close", () => {
      void cache.forgetAgain();
    });
    next();
  };
}
