import type { Transaction } from "kysely";

import type { Db } from "./engine.js";
import type { Database } from "./models.js";

/**
 * Run `work` inside one transaction on one pooled connection: COMMIT when it
 * resolves, ROLLBACK when it throws (then rethrow). Kysely discards a connection
 * whose rollback fails rather than returning it to the pool.
 */
export function withTransaction<T>(db: Db, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(work);
}
