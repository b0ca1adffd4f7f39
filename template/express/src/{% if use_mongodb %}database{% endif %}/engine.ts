// The MongoDB client and its connection pool: created by lifespan.ts at start-up
// (never at import time), sized from DB_POOL_SIZE, closed at shutdown. A request waits
// at most DB_POOL_TIMEOUT_SECONDS for a connection, or for a server to send it to
// (then 503, see errors.ts).
import { MongoClient, type ClientSession, type Db as MongoDb, type MongoClientOptions } from "mongodb";
import type { Logger } from "pino";

import { connectWithRetry, type RetryOptions } from "../core/retry.js";
import { MONGODB_URL } from "./config.js";

export interface PoolSettings {
  databaseUrl: string;
  dbPoolSize: number;
  dbPoolTimeoutSeconds: number;
}

// Recycle idle connections so none outlives a failover or a server-side limit.
const IDLE_TIMEOUT_MS = 30_000;

export function createClient(settings: PoolSettings, options: MongoClientOptions = {}): MongoClient {
  const waitMs = Math.max(1, Math.round(settings.dbPoolTimeoutSeconds * 1000));
  return new MongoClient(settings.databaseUrl, {
    maxPoolSize: settings.dbPoolSize,
    // The wait for a free pooled connection...
    waitQueueTimeoutMS: waitMs,
    // ...and for a server to answer at all: a request fails fast while MongoDB is away.
    serverSelectionTimeoutMS: waitMs,
    connectTimeoutMS: waitMs,
    maxIdleTimeMS: IDLE_TIMEOUT_MS,
    // Readers see only what a majority has written, and writes wait for it.
    readConcern: { level: "majority" },
    writeConcern: { w: "majority" },
    retryWrites: true,
    ...options,
  });
}

/** The database within one transaction: every command it runs goes through `session`. */
export interface InTransaction {
  db: MongoDb;
  session: ClientSession;
}

/**
 * What the auth task's store takes, as it takes PostgreSQL's Kysely or a transaction
 * of it: the database, or the database within one transaction (transaction.ts).
 */
export type Db = MongoDb | InTransaction;

/** How long the server may spend on one read before it gives up (maxTimeMS). */
export interface ReadLimit {
  maxTimeMS: number;
}

// Each database's read limit (REQUEST_TIMEOUT_SECONDS), set by lifespan.ts: what takes a
// bare Db (auth's store) finds it through sessionOf, as the repositories get it in their Store.
const readLimits = new WeakMap<MongoDb, ReadLimit>();

export function limitReads(db: MongoDb, limit: ReadLimit): void {
  readLimits.set(db, limit);
}

/**
 * What to send `db`'s commands with: the database, the session (none outside a
 * transaction), and the limit of its reads (none for a database lifespan.ts did not open).
 */
export function sessionOf(
  db: Db,
): (InTransaction | { db: MongoDb; session?: undefined }) & { reads: ReadLimit | Record<string, never> } {
  if ("session" in db) return { ...db, reads: readLimits.get(db.db) ?? {} };
  return { db, reads: readLimits.get(db) ?? {} };
}

/** The database the URL names (its path). */
export function databaseOf(client: MongoClient): MongoDb {
  return client.db();
}

/** The readiness check: one round trip (a ping) through the pool. */
export async function checkDatabase(client: MongoClient): Promise<void> {
  await client.db("admin").command({ ping: 1 });
}

/** Where a URL points, without its credentials. */
export function describeDatabase(databaseUrl: string): string {
  const match = MONGODB_URL.exec(databaseUrl);
  return match ? `${match[2] ?? ""}/${match[3] ?? ""}` : "the DATABASE_URL";
}

/** Start-up: wait for MongoDB with backoff, or fail with a message naming it. */
export async function openDatabase(
  client: MongoClient,
  databaseUrl: string,
  logger: Logger,
  options: RetryOptions = {},
): Promise<void> {
  await connectWithRetry("MongoDB", describeDatabase(databaseUrl), () => checkDatabase(client), logger, options);
}
