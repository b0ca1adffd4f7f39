import type { ClientSession, MongoClient } from "mongodb";

/**
 * Run `work` inside one transaction (MongoDB must run as a replica set): committed
 * when it resolves, aborted when it throws (then rethrown). The driver's helper
 * retries the whole of `work` on a transient error (a write conflict with another
 * transaction) and the commit on an unknown result, so `work` must only write
 * through `session` and may run more than once.
 */
export async function withTransaction<T>(
  client: MongoClient,
  work: (session: ClientSession) => Promise<T>,
): Promise<T> {
  return client.withSession((session) => session.withTransaction(() => work(session)));
}
