// Request and response bodies of /posts.
import { z } from "zod";

import { pageQuery } from "../core/pagination.js";
import { formatTimestamp } from "../core/timestamps.js";
import { text, uuidString } from "../core/validation.js";
import type { Post } from "./posts.repository.js";

const title = text(1, 200);
const body = text(0, 10_000);

export const PostCreate = z.strictObject({ author_id: uuidString, title, body: body.default("") });
export type PostCreate = z.output<typeof PostCreate>;

// Only the fields given change; left out means "keep", and null (which would
// mean "erase") is refused. The author of a post never changes.
export const PostUpdate = z.strictObject({ title: title.optional(), body: body.optional() });
export type PostUpdate = z.output<typeof PostUpdate>;

export const PostPath = z.strictObject({ post_id: uuidString });

export const PostListQuery = pageQuery.extend({ author_id: uuidString.optional() });

export interface PostPublic {
  id: string;
  author_id: string;
  title: string;
  body: string;
  created_at: string;
  updated_at: string;
  author: { id: string; name: string };
}

export function toPostPublic(post: Post): PostPublic {
  return {
    id: post.id,
    author_id: post.author.id,
    title: post.title,
    body: post.body,
    created_at: formatTimestamp(post.createdAt),
    updated_at: formatTimestamp(post.updatedAt),
    author: { id: post.author.id, name: post.author.name },
  };
}
