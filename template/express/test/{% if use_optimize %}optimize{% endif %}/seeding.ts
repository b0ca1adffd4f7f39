// Many posts at once, written straight into PostgreSQL with one statement.
import { sql } from "kysely";

import type { Db } from "../../src/database/engine.js";

/** `count` posts by `authorId`, one a second going back from now, then fresh statistics. */
export async function seedPosts(db: Db, authorId: string, count: number): Promise<void> {
  await sql`
    INSERT INTO posts (id, author_id, title, body, created_at, updated_at)
    SELECT gen_random_uuid(), ${authorId}, 'Post ' || n, repeat('x', 40),
           now() - n * interval '1 second', now() - n * interval '1 second'
    FROM generate_series(1, ${count}::int) AS n`.execute(db);
  await sql`ANALYZE posts`.execute(db);
}
