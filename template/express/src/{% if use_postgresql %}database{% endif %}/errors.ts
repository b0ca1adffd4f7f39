// Which constraint a PostgreSQL error violated, so repositories can turn the
// ones they expect into domain errors and let every other failure through; and
// the two failures that are not bugs and become a 503 rather than a 500: the pool
// running dry, and PostgreSQL being away.
import type { ErrorRequestHandler } from "express";

import { AppError } from "../core/errors.js";

const UNIQUE_VIOLATION = "23505";
const FOREIGN_KEY_VIOLATION = "23503";

interface DatabaseError {
  code: string;
  constraint?: string;
}

function isDatabaseError(err: unknown): err is DatabaseError {
  return typeof err === "object" && err !== null && typeof (err as Partial<DatabaseError>).code === "string";
}

export function violatesUnique(err: unknown, constraint: string): boolean {
  return isDatabaseError(err) && err.code === UNIQUE_VIOLATION && err.constraint === constraint;
}

export function violatesForeignKey(err: unknown, constraint: string): boolean {
  return isDatabaseError(err) && err.code === FOREIGN_KEY_VIOLATION && err.constraint === constraint;
}

// What pg-pool rejects with when no connection came free within connectionTimeoutMillis.
const POOL_TIMEOUT_MESSAGE = "timeout exceeded when trying to connect";

/** Every pooled connection stayed busy for DB_POOL_TIMEOUT_SECONDS: retry shortly rather than queue longer. */
export class DatabaseBusyError extends AppError {
  constructor(cause?: unknown) {
    super("database_busy", 503, "The database is busy; retry after the Retry-After delay.", {
      headers: { "Retry-After": "1" },
      cause,
    });
  }
}

export function isPoolTimeout(err: unknown): boolean {
  return err instanceof Error && err.message === POOL_TIMEOUT_MESSAGE;
}

/** PostgreSQL cannot be reached or dropped the connection: retry shortly, nothing to fix here. */
export class DatabaseUnavailableError extends AppError {
  constructor(cause?: unknown) {
    super("database_unavailable", 503, "The database is unavailable; retry after the Retry-After delay.", {
      headers: { "Retry-After": "1" },
      cause,
    });
  }
}

// SQLSTATE of PostgreSQL ending a session or refusing one: class 08 (connection
// exception), 57P01-57P05 (shut down by an administrator, crashed, starting up or
// shutting down, database dropped, idle session timeout), 53300 (too many connections).
const SERVER_AWAY = /^(08...|57P0[1-5]|53300)$/;
// The socket failed: nothing listens, the peer reset it, or the network is down.
const NETWORK_AWAY = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH"]);
// What pg says when the socket closed or a connection attempt timed out, and when a
// query meets a client whose connection has already failed.
const CONNECTION_LOST = /^Connection terminated|^Client has encountered a connection error|^Client was closed/;

export function isDatabaseUnavailable(err: unknown): boolean {
  if (err instanceof AggregateError) return err.errors.some(isDatabaseUnavailable);
  if (!(err instanceof Error)) return false;
  const code = (err as Partial<DatabaseError>).code;
  if (typeof code === "string" && (SERVER_AWAY.test(code) || NETWORK_AWAY.has(code))) return true;
  return CONNECTION_LOST.test(err.message);
}

/** Error middleware before the problem handler: the database's 503s leave as problems. */
export const databaseErrors: ErrorRequestHandler = (err: unknown, _req, _res, next) => {
  if (isPoolTimeout(err)) next(new DatabaseBusyError(err));
  else if (isDatabaseUnavailable(err)) next(new DatabaseUnavailableError(err));
  else next(err);
};
