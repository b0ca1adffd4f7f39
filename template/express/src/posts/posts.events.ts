// What the posts service tells of each change it made, once the change is stored.
// With a live-events API style, a middleware puts a publisher in res.locals that
// hands each change to the subscribers; without one, nothing listens and nothing
// is sent.
import type { Response } from "express";

import type { Post } from "./posts.repository.js";

export interface PostEvents {
  created(post: Post): void;
  updated(post: Post): void;
  /** The post `id` of `authorId` is gone. */
  deleted(id: string, authorId: string): void;
}

declare global {
  // Express's own extension point for res.locals.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      postEvents?: PostEvents;
    }
  }
}

export const NO_POST_EVENTS: PostEvents = {
  created: () => undefined,
  updated: () => undefined,
  deleted: () => undefined,
};

export function postEvents(res: Pick<Response, "locals">): PostEvents {
  return res.locals.postEvents ?? NO_POST_EVENTS;
}
