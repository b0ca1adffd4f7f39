// The posts repository over PostgreSQL. Every read joins the author in the same
// statement: a page of posts with their authors is one query whatever its size.
import type pg from "pg";

import type { Cursor } from "../core/pagination.js";
import { UnknownAuthorError } from "../posts/posts.errors.js";
import type { Post, PostRepository } from "../posts/posts.repository.js";
import { violatesForeignKey } from "./errors.js";

const AUTHOR_FKEY = "posts_author_id_fkey";

const SELECT_WITH_AUTHOR = `
  SELECT p.id, p.title, p.body, p.created_at, p.updated_at, u.id AS author_id, u.name AS author_name
  FROM posts p JOIN users u ON u.id = p.author_id`;

interface PostRow {
  id: string;
  title: string;
  body: string;
  created_at: Date;
  updated_at: Date;
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

export class PostgresPostRepository implements PostRepository {
  constructor(private readonly pool: pg.Pool) {}

  async add(post: Post): Promise<void> {
    try {
      await this.pool.query(
        `INSERT INTO posts (id, author_id, title, body, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [post.id, post.author.id, post.title, post.body, post.createdAt, post.updatedAt],
      );
    } catch (err) {
      // The author was deleted between the service's look-up and this insert.
      if (violatesForeignKey(err, AUTHOR_FKEY)) throw new UnknownAuthorError();
      throw err;
    }
  }

  async get(id: string): Promise<Post | undefined> {
    const result = await this.pool.query<PostRow>(`${SELECT_WITH_AUTHOR} WHERE p.id = $1`, [id]);
    const row = result.rows[0];
    return row && toPost(row);
  }

  async listAfter(after: Cursor | undefined, limit: number, authorId?: string): Promise<Post[]> {
    // A row comparison, which the (…, created_at DESC, id DESC) indexes answer.
    const result = await this.pool.query<PostRow>(
      `${SELECT_WITH_AUTHOR}
       WHERE ($1::uuid IS NULL OR p.author_id = $1::uuid)
         AND ($2::timestamptz IS NULL OR (p.created_at, p.id) < ($2::timestamptz, $3::uuid))
       ORDER BY p.created_at DESC, p.id DESC
       LIMIT $4`,
      [authorId ?? null, after?.createdAt ?? null, after?.id ?? null, limit],
    );
    return result.rows.map(toPost);
  }

  async update(post: Post): Promise<boolean> {
    const result = await this.pool.query("UPDATE posts SET title = $2, body = $3, updated_at = $4 WHERE id = $1", [
      post.id,
      post.title,
      post.body,
      post.updatedAt,
    ]);
    return result.rowCount === 1;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.pool.query("DELETE FROM posts WHERE id = $1", [id]);
    return result.rowCount === 1;
  }
}
