// What the posts feature needs from storage, whatever the storage is. Every post
// read from a repository carries its author's id and name, fetched with it: a
// page of posts costs one round trip, never one more per author.
import type { Cursor } from "../core/pagination.js";
import type { Timestamp } from "../core/timestamps.js";

export interface Author {
  id: string;
  name: string;
}

export interface Post {
  id: string;
  author: Author;
  title: string;
  body: string;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** One author's page: up to `limit` of their posts, newest first, strictly after `after`. */
export interface AuthorPageRequest {
  authorId: string;
  after: Cursor | undefined;
  limit: number;
}

export interface PostRepository {
  /** Store a new post; rejects with UnknownAuthorError when its author does not exist. */
  add(post: Post): Promise<void>;
  get(id: string): Promise<Post | undefined>;
  /** Up to `limit` posts newest first, strictly after `after`, of one author if given. */
  listAfter(after: Cursor | undefined, limit: number, authorId?: string): Promise<Post[]>;
  /** The pages of many authors at once, in the order asked: one round trip (the GraphQL loaders'). */
  listForAuthors(pages: readonly AuthorPageRequest[]): Promise<Post[][]>;
  /** Store the new title, body and updatedAt; false when the post is gone. */
  update(post: Post): Promise<boolean>;
  /** Remove the post; its author's id, or undefined when there was no such post. */
  delete(id: string): Promise<{ authorId: string } | undefined>;
}
