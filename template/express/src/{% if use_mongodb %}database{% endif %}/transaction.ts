import { MongoClient, type ClientSession } from "mongodb";

import { sessionOf, type Db, type InTransaction } from "./engine.js";

/**
 * Run `work` inside one transaction (MongoDB must run as a replica set): committed
 * when it resolves, aborted when it throws (then rethrown). The driver's helper
 * retries the whole of `work` on a transient error (a write conflict with another
 * transaction) and the commit on an unknown result, so `work` must only write
 * through `session` and may run more than once.
 *
 * Given the database (auth's store, as PostgreSQL's withTransaction is given Kysely),
 * `work` gets it within the transaction; given the database already within one, it
 * runs in that one.
 */
export function withTransaction<T>(client: MongoClient, work: (session: ClientSession) => Promise<T>): Promise<T>;
export function withTransaction<T>(db: Db, work: (trx: InTransaction) => Promise<T>): Promise<T>;
export async function withTransaction<T>(
  on: MongoClient | Db,
  work: ((session: ClientSession) => Promise<T>) | ((trx: InTransaction) => Promise<T>),
): Promise<T> {
  if (on instanceof MongoClient) {
    const inSession = work as (session: ClientSession) => Promise<T>;
    return on.withSession((session) => session.withTransaction(() => inSession(session)));
  }
  const inDb = work as (trx: InTransaction) => Promise<T>;
  const current = sessionOf(on);
  if (current.session) return inDb(current);
  const { db } = current;
  return db.client.withSession((session) => session.withTransaction(() => inDb({ db, session })));
}
