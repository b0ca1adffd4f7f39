// What reading the caller on each request needs from a cache. With the cache
// task, a middleware (cache/middleware.ts) gives each request the Redis cache of
// user records (key `user:{id}`) in res.locals; without it, nothing is cached
// and every read loads from storage.
import type { Response } from "express";

import type { User } from "./users.repository.js";

export interface UserCache {
  /** The user, from the cache or from `load`; a user `load` does not find is never cached. */
  read(id: string, load: () => Promise<User | undefined>): Promise<User | undefined>;
  /** Drop the cached user, whenever their record changes or goes. */
  forget(id: string): Promise<void>;
}

declare global {
  // Express's own extension point for res.locals.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      userCache?: UserCache;
    }
  }
}

export const NO_USER_CACHE: UserCache = {
  read: (_id, load) => load(),
  forget: () => Promise.resolve(),
};

export function userCache(res: Pick<Response, "locals">): UserCache {
  return res.locals.userCache ?? NO_USER_CACHE;
}
