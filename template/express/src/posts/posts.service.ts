// Use cases of the posts feature; routes call these, storage sits behind the repositories.
// Each change is told to `events` once the repository has stored it, never before:
// a write that fails tells nothing.
import { randomUUID } from "node:crypto";

import { splitPage, type PageRequest } from "../core/pagination.js";
import { now } from "../core/timestamps.js";
import type { UserRepository } from "../users/users.repository.js";
import { PostNotFoundError, UnknownAuthorError } from "./posts.errors.js";
import type { PostEvents } from "./posts.events.js";
import type { Post, PostRepository } from "./posts.repository.js";
import type { PostCreate, PostUpdate } from "./posts.schemas.js";

/** A post by `authorId`: the caller with auth, the body's author_id without. */
export async function createPost(
  posts: PostRepository,
  users: UserRepository,
  authorId: string,
  data: Pick<PostCreate, "title" | "body">,
  events: PostEvents,
): Promise<Post> {
  const author = await users.get(authorId);
  if (!author) throw new UnknownAuthorError();
  const created = now();
  const post: Post = {
    id: randomUUID(),
    author: { id: author.id, name: author.name },
    title: data.title,
    body: data.body,
    createdAt: created,
    updatedAt: created,
  };
  // The store checks the author again (a foreign key): it may be deleted meanwhile.
  await posts.add(post);
  events.created(post);
  return post;
}

export async function getPost(posts: PostRepository, id: string): Promise<Post> {
  const post = await posts.get(id);
  if (!post) throw new PostNotFoundError();
  return post;
}

export async function listPosts(
  posts: PostRepository,
  page: PageRequest,
  authorId: string | undefined,
): Promise<{ items: Post[]; nextCursor: string | null }> {
  return splitPage(await posts.listAfter(page.cursor, page.limit + 1, authorId), page.limit);
}

/** `updatedAt` moves only when something is given; `{}` returns the post unchanged. */
export async function updatePost(
  posts: PostRepository,
  id: string,
  changes: PostUpdate,
  events: PostEvents,
): Promise<Post> {
  const post = await getPost(posts, id);
  if (changes.title === undefined && changes.body === undefined) return post;
  const updated: Post = {
    ...post,
    title: changes.title ?? post.title,
    body: changes.body ?? post.body,
    updatedAt: now(),
  };
  if (!(await posts.update(updated))) throw new PostNotFoundError();
  events.updated(updated);
  return updated;
}

export async function deletePost(posts: PostRepository, id: string, events: PostEvents): Promise<void> {
  const removed = await posts.delete(id);
  if (!removed) throw new PostNotFoundError();
  events.deleted(id, removed.authorId);
}
