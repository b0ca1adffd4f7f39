// Gives each /api/v1 request the posts cache (posts/posts.cache.ts) and the
// users cache (users/users.cache.ts) over Redis, and drops again what the
// request dropped once its response is done, so after its writes committed.
import type { RequestHandler, Response } from "express";
import type { Redis } from "ioredis";
import type { Logger } from "pino";

import type { PostCache } from "../posts/posts.cache.js";
import { parseTimestamp } from "../core/timestamps.js";
import type { PostPublic } from "../posts/posts.schemas.js";
import type { UserCache } from "../users/users.cache.js";
import type { Role, User } from "../users/users.repository.js";
import { toUserPublic, type UserPublic } from "../users/users.schemas.js";
import { CacheAside, KeyLocks } from "./aside.js";
import { authorTag, postKey, userKey } from "./keys.js";

export interface CacheReadsOptions {
  redis: Redis;
  ttlSeconds: number;
  logger: Logger;
}

/** Posts as their public JSON (what GET /posts/{id} sends), dropped with their author. */
class RedisPostCache implements PostCache {
  constructor(private readonly cache: CacheAside) {}

  async read(id: string, load: () => Promise<PostPublic>): Promise<{ json: string; hit: boolean }> {
    const [json, hit] = await this.cache.getOrLoad(postKey(id), async () => {
      const post = await load();
      return { value: JSON.stringify(post), tags: [authorTag(post.author_id)] };
    });
    return { json, hit };
  }

  forgetPost(id: string): Promise<void> {
    return this.cache.forget(postKey(id));
  }

  forgetAuthor(authorId: string): Promise<void> {
    return this.cache.forgetTagged(authorTag(authorId));
  }
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
class RedisUserCache implements UserCache {
  constructor(private readonly cache: CacheAside) {}

  async read(id: string, load: () => Promise<User | undefined>): Promise<User | undefined> {
    let loaded: User | undefined;
    const value = await this.cache.readThrough(userKey(id), async () => {
      loaded = await load();
      return loaded && JSON.stringify(toUserPublic(loaded));
    });
    if (loaded || value === undefined) return loaded;
    return cachedUser(value) ?? (await load());
  }

  forget(id: string): Promise<void> {
    return this.cache.forget(userKey(id));
  }
}

/** The users cache outside a request (create-admin): every drop is final at once. */
export function redisUserCache({ redis, ttlSeconds, logger }: CacheReadsOptions): UserCache {
  return new RedisUserCache(new CacheAside(redis, { ttlSeconds, locks: new KeyLocks(), logger }));
}

declare global {
  // Express's own extension point for res.locals.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      cacheAside?: CacheAside;
    }
  }
}

/** "close" comes after the response is sent, or after the client went away. */
function forgetAgainOnClose(this: Response): void {
  void this.locals.cacheAside?.forgetAgain();
}

/** Gives each locals it is handed (a request's, or a call's beside HTTP) its caches over Redis. */
export function readCaches({ redis, ttlSeconds, logger }: CacheReadsOptions): (locals: Express.Locals) => void {
  // Shared by every request of this app: concurrent misses of one key queue here.
  const locks = new KeyLocks();
  const options = { ttlSeconds, locks, logger };
  return (locals) => {
    const cache = new CacheAside(redis, options, locals.readAhead);
    locals.postCache = new RedisPostCache(cache);
    locals.userCache = new RedisUserCache(cache);
    locals.cacheAside = cache;
  };
}

export function cacheReads(options: CacheReadsOptions): RequestHandler {
  const give = readCaches(options);
  // No closure per request: classes, and one listener shared by every response.
  return (_req, res, next) => {
    give(res.locals);
    res.on("close", forgetAgainOnClose);
    next();
  };
}
