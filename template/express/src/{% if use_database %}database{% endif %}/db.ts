// Kysely over the service's one pg pool: typed queries on pooled connections.
import { Kysely, PostgresDialect } from "kysely";
import type pg from "pg";

import type { Database } from "./schema.js";

/** The query builder; a transaction (Transaction<Database>) is one too. */
export type Db = Kysely<Database>;

/**
 * Opens nothing itself: each query borrows a connection from `pool`. Never call
 * destroy() on it, which would end the pool; whoever created the pool ends it.
 */
export function createDb(pool: pg.Pool): Db {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
