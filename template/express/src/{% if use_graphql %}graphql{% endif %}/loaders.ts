// Per-request DataLoaders: the fields a page resolves once per item (each post's
// author, each user's posts) are gathered and fetched in one storage call per
// level. Made anew for every request (context.ts), never shared: a loader caches
// what it loaded, which must not outlive the request or reach another caller.
import DataLoader from "dataloader";

import type { Repositories } from "../api.js";
import { splitPage, type Cursor } from "../core/pagination.js";
import type { Post } from "../posts/posts.repository.js";
import type { User } from "../users/users.repository.js";

/** One user's page of posts, as User.posts asks for it. */
export interface AuthorPageKey {
  authorId: string;
  limit: number;
  after: Cursor | undefined;
  /** The cursor as the client wrote it: with the rest, what tells two keys apart. */
  afterText: string | undefined;
}

export interface PostPage {
  items: Post[];
  nextCursor: string | null;
}

export interface Loaders {
  users: DataLoader<string, User | undefined>;
  authorPages: DataLoader<AuthorPageKey, PostPage, string>;
}

export function createLoaders({ users, posts }: Repositories): Loaders {
  return {
    users: new DataLoader(async (ids: readonly string[]) => {
      const found = new Map((await users.getMany(ids)).map((user) => [user.id, user]));
      return ids.map((id) => found.get(id));
    }),
    authorPages: new DataLoader(
      async (keys: readonly AuthorPageKey[]) => {
        // One row more than the page: it only says that a next page exists.
        const pages = await posts.listForAuthors(
          keys.map(({ authorId, after, limit }) => ({ authorId, after, limit: limit + 1 })),
        );
        return keys.map((key, index) => splitPage(pages[index] ?? [], key.limit));
      },
      { cacheKeyFn: ({ authorId, limit, afterText }) => `${authorId}|${String(limit)}|${afterText ?? ""}` },
    ),
  };
}
