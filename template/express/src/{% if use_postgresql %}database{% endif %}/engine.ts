// The PostgreSQL pool and Kysely over it: created by lifespan.ts at start-up (never
// at import time), sized from DB_POOL_SIZE, closed at shutdown. A request waits at
// most DB_POOL_TIMEOUT_SECONDS for a connection (then 503, see errors.ts).
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Logger } from "pino";

import { describeError } from "../core/errors.js";
import { connectWithRetry, type RetryOptions } from "../core/retry.js";
import type { Database } from "./models.js";
import { timestampTypes, UTC_SESSION } from "./timestamps.js";

export interface PoolSettings {
  databaseUrl: string;
  dbPoolSize: number;
  dbPoolTimeoutSeconds: number;
  requestTimeoutSeconds: number;
}

const IDLE_TIMEOUT_MS = 30_000;
// Recycle connections so none outlives a failover or a server-side limit.
const MAX_LIFETIME_SECONDS = 30 * 60;

export function createEngine(settings: PoolSettings, logger: Logger): pg.Pool {
  const pool = new pg.Pool({
    connectionString: settings.databaseUrl,
    max: settings.dbPoolSize,
    // Both the wait for a free connection and the opening of a new one.
    connectionTimeoutMillis: settings.dbPoolTimeoutSeconds * 1000,
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    maxLifetimeSeconds: MAX_LIFETIME_SECONDS,
    // TCP keep-alive finds dead peers; an idle client that fails is evicted by
    // the pool (the "pre-ping" of node-postgres) and reported below.
    keepAlive: true,
    statement_timeout: settings.requestTimeoutSeconds * 1000,
    // timestamptz columns come back as the API's text (timestamps.ts).
    options: UTC_SESSION,
    types: timestampTypes,
  });
  // PostgreSQL may end any connection, idle or lent out (a restart, an administrator, the
  // network): its client then emits 'error', and an 'error' event without a listener ends
  // the process. So every client gets a listener of its own. A failed client is not lent
  // out again: pg-pool removes an idle one at once and a lent one when it is released.
  pool.on("connect", (client) => {
    client.on("error", (err) => {
      logger.warn({ reason: describeError(err) }, "a PostgreSQL connection failed; the pool replaces it");
    });
  });
  // The pool repeats an idle client's error, already logged by the client's listener.
  pool.on("error", (err) => {
    logger.debug({ reason: describeError(err) }, "an idle PostgreSQL connection was removed from the pool");
  });
  return pool;
}

/** The readiness check: one round trip through the pool. */
export async function checkDatabase(pool: pg.Pool): Promise<void> {
  await pool.query("SELECT 1");
}

/** Where a URL points, without its credentials. */
export function describeDatabase(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  return `${url.hostname}:${url.port || "5432"}${url.pathname}`;
}

/** Start-up: wait for PostgreSQL with backoff, or fail with a message naming it. */
export async function openDatabase(pool: pg.Pool, logger: Logger, options: RetryOptions = {}): Promise<void> {
  const target = describeDatabase(pool.options.connectionString ?? "postgresql://localhost/");
  await connectWithRetry("PostgreSQL", target, () => checkDatabase(pool), logger, options);
}

/** The query builder; a transaction (Transaction<Database>) is one too. */
export type Db = Kysely<Database>;

/**
 * Opens nothing itself: each query borrows a connection from `pool`. Never call
 * destroy() on it, which would end the pool; whoever created the pool ends it.
 */
export function createDb(pool: pg.Pool): Db {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
