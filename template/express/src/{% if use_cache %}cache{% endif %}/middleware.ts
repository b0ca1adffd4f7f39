// Gives each /api/v1 request the posts cache (posts/posts.cache.ts) and the
// users cache (users/users.cache.ts) over Redis, and drops again what the
// request dropped once its response is done, so after its writes committed.
import type { RequestHandler } from "express";
import type { Redis } from "ioredis";
import type { Logger } from "pino";

import type { PostCache } from "../posts/posts.cache.js";
import { parseTimestamp } from "../core/timestamps.js";
import type { PostPublic } from "../posts/posts.schema.js";
import type { UserCache } from "../users/users.cache.js";
import type { Role, User } from "../users/users.repository.js";
import { toUserPublic, type UserPublic } from "../users/users.schema.js";
import { CacheAside, KeyLocks } from "./aside.js";
import { authorTag, postKey, userKey } from "./keys.js";

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

function isRole(value: unknown): value is Role {
  return value === "user" || value === "admin";
}

/** A cached record back as a User; undefined for anything this version did not write. */
function cachedUser(value: string): User | undefined {
  try {
    const { id, email, name, role, created_at: created } = JSON.parse(value) as Partial<UserPublic>;
    const createdAt = typeof created === "string" ? parseTimestamp(created) : undefined;
    if (typeof id !== "string" || typeof email !== "string" || typeof name !== "string") return undefined;
    if (!isRole(role) || createdAt === undefined) return undefined;
    return { id, email, name, role, createdAt };
  } catch {
    return undefined;
  }
}

/** Users as their public JSON (what GET /users/{id} shows), never with the password hash. */
export function userCacheOver(cache: CacheAside): UserCache {
  return {
    read: async (id, load) => {
      let loaded: User | undefined;
      const value = await cache.readThrough(userKey(id), async () => {
        loaded = await load();
        return loaded && JSON.stringify(toUserPublic(loaded));
      });
      if (loaded || value === undefined) return loaded;
      return cachedUser(value) ?? (await load());
    },
    forget: (id) => cache.forget(userKey(id)),
  };
}

/** The users cache outside a request (create-admin): every drop is final at once. */
export function redisUserCache({ redis, ttlSeconds, logger }: CacheReadsOptions): UserCache {
  return userCacheOver(new CacheAside(redis, { ttlSeconds, locks: new KeyLocks(), logger }));
}

export function cacheReads({ redis, ttlSeconds, logger }: CacheReadsOptions): RequestHandler {
  // Shared by every request of this app: concurrent misses of one key queue here.
  const locks = new KeyLocks();
  return (_req, res, next) => {
    const cache = new CacheAside(redis, { ttlSeconds, locks, logger });
    res.locals.postCache = postCacheOver(cache);
    res.locals.userCache = userCacheOver(cache);
    // "close" comes after the response is sent, or after the client went away.
    res.once("close", () => {
      void cache.forgetAgain();
    });
    next();
  };
}
