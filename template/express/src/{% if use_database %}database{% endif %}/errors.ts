// Which constraint a PostgreSQL error violated, so repositories can turn the
// ones they expect into domain errors and let every other failure through; and
// the pool running dry, which becomes a 503 rather than a 500.
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

/** Error middleware before the problem handler: a pool timeout leaves as DatabaseBusyError. */
export const databaseBusy: ErrorRequestHandler = (err: unknown, _req, _res, next) => {
  next(isPoolTimeout(err) ? new DatabaseBusyError(err) : err);
};
