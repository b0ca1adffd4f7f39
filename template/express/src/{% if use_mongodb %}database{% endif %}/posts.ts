// The posts repository over MongoDB. A read costs two round trips whatever its size:
// the posts, then their authors' names by one $in on users' _id.
import type { Filter } from "mongodb";

import type { Cursor } from "../core/pagination.js";
import { UnknownAuthorError } from "../posts/posts.errors.js";
import type { Author, AuthorPageRequest, Post, PostRepository } from "../posts/posts.repository.js";
import { keysetOf, timestampOf, type PostDocument, type Store } from "./documents.js";
import { withTransaction } from "./transaction.js";

function toPost(doc: PostDocument, author: Author): Post {
  return {
    id: doc._id,
    author,
    title: doc.title,
    body: doc.body,
    createdAt: timestampOf(doc.created_at),
    updatedAt: timestampOf(doc.updated_at),
  };
}

/** The filter of one page: a range on the posts_keyset (or posts_author_keyset) index. */
export function pageFilter(after: Cursor | undefined, authorId?: string): Filter<PostDocument> {
  const filter: Filter<PostDocument> = {};
  if (authorId !== undefined) filter.author_id = authorId;
  if (after) filter.keyset = { $lt: keysetOf(after.createdAt, after.id) };
  return filter;
}

export class MongoPostRepository implements PostRepository {
  constructor(private readonly store: Store) {}

  /** The posts with their authors, fetched by one $in; a post whose author is gone is left out. */
  private async withAuthors(docs: PostDocument[]): Promise<Post[]> {
    if (docs.length === 0) return [];
    const ids = [...new Set(docs.map((doc) => doc.author_id))];
    const authors = await this.store.users
      .find({ _id: { $in: ids } }, { ...this.store.reads, projection: { name: 1 } })
      .toArray();
    const byId = new Map(authors.map((author) => [author._id, { id: author._id, name: author.name }]));
    return docs.flatMap((doc) => {
      const author = byId.get(doc.author_id);
      return author ? [toPost(doc, author)] : [];
    });
  }

  async add(post: Post): Promise<void> {
    const { client, users, posts } = this.store;
    await withTransaction(client, async (session) => {
      // Writing the author's document in the same transaction makes a concurrent
      // deletion of the author conflict with this insert instead of leaving an orphan.
      const author = await users.updateOne({ _id: post.author.id }, { $inc: { post_count: 1 } }, { session });
      if (author.matchedCount === 0) throw new UnknownAuthorError();
      await posts.insertOne(
        {
          _id: post.id,
          author_id: post.author.id,
          title: post.title,
          body: post.body,
          created_at: new Date(post.createdAt),
          updated_at: new Date(post.updatedAt),
          keyset: keysetOf(post.createdAt, post.id),
        },
        { session },
      );
    });
  }

  async get(id: string): Promise<Post | undefined> {
    const doc = await this.store.posts.findOne({ _id: id }, this.store.reads);
    return doc ? (await this.withAuthors([doc]))[0] : undefined;
  }

  async listAfter(after: Cursor | undefined, limit: number, authorId?: string): Promise<Post[]> {
    const docs = await this.store.posts
      .find(pageFilter(after, authorId), this.store.reads)
      .sort({ keyset: -1 })
      .limit(limit)
      .toArray();
    return this.withAuthors(docs);
  }

  /** Every author's page: one query per author, all at once, then one $in for the names. */
  async listForAuthors(pages: readonly AuthorPageRequest[]): Promise<Post[][]> {
    const found = await Promise.all(
      pages.map((page) =>
        this.store.posts
          .find(pageFilter(page.after, page.authorId), this.store.reads)
          .sort({ keyset: -1 })
          .limit(page.limit)
          .toArray(),
      ),
    );
    const posts = new Map((await this.withAuthors(found.flat())).map((post) => [post.id, post]));
    return found.map((docs) => docs.flatMap((doc) => posts.get(doc._id) ?? []));
  }

  async update(post: Post): Promise<boolean> {
    const result = await this.store.posts.updateOne(
      { _id: post.id },
      { $set: { title: post.title, body: post.body, updated_at: new Date(post.updatedAt) } },
    );
    return result.matchedCount > 0;
  }

  async delete(id: string): Promise<{ authorId: string } | undefined> {
    const { client, users, posts } = this.store;
    return withTransaction(client, async (session) => {
      const removed = await posts.findOneAndDelete({ _id: id }, { session, projection: { author_id: 1 } });
      if (!removed) return undefined;
      await users.updateOne({ _id: removed.author_id }, { $inc: { post_count: -1 } }, { session });
      return { authorId: removed.author_id };
    });
  }
}
