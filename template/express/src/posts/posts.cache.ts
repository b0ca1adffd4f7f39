// What the posts routes need from a cache of reads. With the cache task, a
// middleware (cache/middleware.ts) gives each request a Redis cache-aside in
// res.locals; without it, nothing is cached and every read loads from storage.
import type { Response } from "express";

import type { PostPublic } from "./posts.schemas.js";

export interface PostCache {
  /**
   * The post as JSON text, from the cache (`hit`) or from `load`; `hit` is undefined
   * when nothing caches. A hit is the stored text itself, sent without parsing it.
   */
  read(id: string, load: () => Promise<PostPublic>): Promise<{ json: string; hit?: boolean }>;
  /** Drop the cached post, after a change or removal. */
  forgetPost(id: string): Promise<void>;
  /** Drop every cached post of the author: posts embed the author's name. */
  forgetAuthor(authorId: string): Promise<void>;
}

declare global {
  // Express's own extension point for res.locals.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      postCache?: PostCache;
    }
  }
}

const NO_CACHE: PostCache = {
  read: async (_id, load) => ({ json: JSON.stringify(await load()) }),
  forgetPost: () => Promise.resolve(),
  forgetAuthor: () => Promise.resolve(),
};

export function postCache(res: Pick<Response, "locals">): PostCache {
  return res.locals.postCache ?? NO_CACHE;
}
