// Per-request DataLoaders: a field a page resolves once per item (each user's
// posts) is gathered and fetched in one storage call per level. A post's author
// needs none: it comes with the post, from the post's own statement. Made anew for every request (context.ts), never shared: a loader caches
// what it loaded, which must not outlive the request or reach another caller.
import DataLoader from "dataloader";

import type { Repositories } from "../api.js";
import { splitPage, type Cursor } from "../core/pagination.js";
import type { Post } from "../posts/posts.repository.js";

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
  authorPages: DataLoader<AuthorPageKey, PostPage, string>;
}

export function createLoaders({ posts }: Repositories): Loaders {
  return {
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
