// The posts repository over PostgreSQL. Every read joins the author in the same
// statement: a page of posts with their authors is one query whatever its size.
import { createQueryId, sql, type CompiledQuery } from "kysely";

import type { Cursor } from "../core/pagination.js";
import type { Timestamp } from "../core/timestamps.js";
import { UnknownAuthorError } from "../posts/posts.errors.js";
import type { AuthorPageRequest, Post, PostRepository } from "../posts/posts.repository.js";
import type { Db } from "./engine.js";
import { violatesForeignKey } from "./errors.js";

const AUTHOR_FKEY = "posts_author_id_fkey";

interface PostRow {
  id: string;
  title: string;
  body: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  author_id: string;
  author_name: string;
}

function toPost(row: PostRow): Post {
  return {
    id: row.id,
    author: { id: row.author_id, name: row.author_name },
    title: row.title,
    body: row.body,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function withAuthor(db: Db) {
  return db
    .selectFrom("posts as p")
    .innerJoin("users as u", "u.id", "p.author_id")
    .select([
      "p.id",
      "p.title",
      "p.body",
      "p.created_at",
      "p.updated_at",
      "u.id as author_id",
      "u.name as author_name",
    ]);
}

/** One page of posts with their authors: a keyset query on the (…, created_at, id) indexes. */
export function pageQuery(db: Db, after: Cursor | undefined, limit: number, authorId?: string) {
  let query = withAuthor(db).orderBy("p.created_at", "desc").orderBy("p.id", "desc").limit(limit);
  if (authorId !== undefined) query = query.where("p.author_id", "=", authorId);
  if (after) {
    // A row comparison, which the (…, created_at DESC, id DESC) indexes answer.
    query = query.where((eb) => eb(eb.refTuple("p.created_at", "p.id"), "<", eb.tuple(after.createdAt, after.id)));
  }
  return query;
}

/** A value of the page query, found once among its compiled parameters. */
type Slot = "authorId" | "createdAt" | "id" | "limit";
type PageValues = Record<Slot, unknown>;

// Compiled in place of the values, then recognised among the parameters.
const MARKS = { authorId: "\u0000authorId", createdAt: "\u0000createdAt", id: "\u0000id", limit: -1 } as const;
const SLOTS = Object.keys(MARKS) as Slot[];

interface PageStatement {
  compiled: CompiledQuery<PostRow>;
  slots: Slot[];
}

/**
 * The page query of one shape (after a cursor or not, of one author or not),
 * compiled once: a request only fills in its values, so Kysely neither rebuilds
 * nor recompiles it.
 */
function compilePage(db: Db, afterCursor: boolean, ofAuthor: boolean): PageStatement {
  const after = afterCursor ? { createdAt: MARKS.createdAt, id: MARKS.id } : undefined;
  const compiled = pageQuery(db, after, MARKS.limit, ofAuthor ? MARKS.authorId : undefined).compile();
  const slots = compiled.parameters.map((value) => {
    const slot = SLOTS.find((key) => MARKS[key] === value);
    if (!slot) throw new Error("the page query has a parameter it was not given");
    return slot;
  });
  return { compiled, slots };
}

/** One execution of `statement`: its own values, and its own id, which plugins key results by. */
function fill({ compiled, slots }: PageStatement, values: PageValues): CompiledQuery<PostRow> {
  return { ...compiled, parameters: slots.map((slot) => values[slot]), queryId: createQueryId() };
}

export class PostgresPostRepository implements PostRepository {
  private readonly firstPage: { all: PageStatement; ofAuthor: PageStatement };
  private readonly nextPage: { all: PageStatement; ofAuthor: PageStatement };

  constructor(private readonly db: Db) {
    this.firstPage = { all: compilePage(db, false, false), ofAuthor: compilePage(db, false, true) };
    this.nextPage = { all: compilePage(db, true, false), ofAuthor: compilePage(db, true, true) };
  }

  async add(post: Post): Promise<void> {
    try {
      await this.db
        .insertInto("posts")
        .values({
          id: post.id,
          author_id: post.author.id,
          title: post.title,
          body: post.body,
          created_at: post.createdAt,
          updated_at: post.updatedAt,
        })
        .execute();
    } catch (err) {
      // The author was deleted between the service's look-up and this insert.
      if (violatesForeignKey(err, AUTHOR_FKEY)) throw new UnknownAuthorError();
      throw err;
    }
  }

  async get(id: string): Promise<Post | undefined> {
    const row: PostRow | undefined = await withAuthor(this.db).where("p.id", "=", id).executeTakeFirst();
    return row && toPost(row);
  }

  async listAfter(after: Cursor | undefined, limit: number, authorId?: string): Promise<Post[]> {
    const shape = after ? this.nextPage : this.firstPage;
    const statement = authorId === undefined ? shape.all : shape.ofAuthor;
    const values = { authorId, createdAt: after?.createdAt, id: after?.id, limit };
    const { rows } = await this.db.executeQuery(fill(statement, values));
    return rows.map(toPost);
  }

  /**
   * Every author's page in one statement: one row per request (unnest, in order),
   * each joined LATERAL to its own keyset page on the (author_id, created_at, id) index.
   */
  async listForAuthors(pages: readonly AuthorPageRequest[]): Promise<Post[][]> {
    if (pages.length === 0) return [];
    const { rows } = await sql<PostRow & { slot: string }>`
      SELECT k.slot, page.*
      FROM unnest(
        ${pages.map((page) => page.authorId)}::uuid[],
        ${pages.map((page) => page.limit)}::int[],
        ${pages.map((page) => page.after?.createdAt ?? null)}::timestamptz[],
        ${pages.map((page) => page.after?.id ?? null)}::uuid[]
      ) WITH ORDINALITY AS k(author_id, page_limit, after_created_at, after_id, slot)
      CROSS JOIN LATERAL (
        SELECT p.id, p.title, p.body, p.created_at, p.updated_at, u.id AS author_id, u.name AS author_name
        FROM posts p JOIN users u ON u.id = p.author_id
        WHERE p.author_id = k.author_id
          AND (k.after_created_at IS NULL OR (p.created_at, p.id) < (k.after_created_at, k.after_id))
        ORDER BY p.created_at DESC, p.id DESC
        LIMIT k.page_limit
      ) AS page
      ORDER BY k.slot, page.created_at DESC, page.id DESC`.execute(this.db);
    const found: Post[][] = pages.map(() => []);
    // WITH ORDINALITY counts from 1; bigint arrives as text.
    for (const row of rows) found[Number(row.slot) - 1]?.push(toPost(row));
    return found;
  }

  async update(post: Post): Promise<boolean> {
    const result = await this.db
      .updateTable("posts")
      .set({ title: post.title, body: post.body, updated_at: post.updatedAt })
      .where("id", "=", post.id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async delete(id: string): Promise<{ authorId: string } | undefined> {
    const row = await this.db.deleteFrom("posts").where("id", "=", id).returning("author_id").executeTakeFirst();
    return row && { authorId: row.author_id };
  }
}
