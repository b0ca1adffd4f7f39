// Which unique index a MongoDB write violated, so repositories can turn the ones
// they expect into domain errors and let every other failure through; and the two
// failures that are not bugs and become a 503 rather than a 500: the pool running
// dry, and MongoDB being away.
import type { ErrorRequestHandler } from "express";
import {
  MongoDriverError,
  MongoNetworkError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from "mongodb";

import { AppError } from "../core/errors.js";

const DUPLICATE_KEY = 11000;

/** A duplicate key in the unique index named `index`. */
export function violatesUnique(err: unknown, index: string): boolean {
  return err instanceof MongoServerError && err.code === DUPLICATE_KEY && err.message.includes(`index: ${index} `);
}

/** Every pooled connection stayed busy for DB_POOL_TIMEOUT_SECONDS: retry shortly rather than queue longer. */
export class DatabaseBusyError extends AppError {
  constructor(cause?: unknown) {
    super("database_busy", 503, "The database is busy; retry after the Retry-After delay.", {
      headers: { "Retry-After": "1" },
      cause,
    });
  }
}

// What the driver rejects with when no connection came free within waitQueueTimeoutMS
// (a class it does not export, so known by its name).
const POOL_TIMEOUT = "MongoWaitQueueTimeoutError";

export function isPoolTimeout(err: unknown): boolean {
  return err instanceof MongoDriverError && err.name === POOL_TIMEOUT;
}

/** MongoDB cannot be reached or dropped the connection: retry shortly, nothing to fix here. */
export class DatabaseUnavailableError extends AppError {
  constructor(cause?: unknown) {
    super("database_unavailable", 503, "The database is unavailable; retry after the Retry-After delay.", {
      headers: { "Retry-After": "1" },
      cause,
    });
  }
}

// Server codes of a node that is shutting down, stepping down or not yet primary.
const SERVER_AWAY = new Set([91, 189, 10107, 11600, 11602, 13435, 13436]);

export function isDatabaseUnavailable(err: unknown): boolean {
  if (err instanceof AggregateError) return err.errors.some(isDatabaseUnavailable);
  return (
    err instanceof MongoServerSelectionError ||
    // A pool cleared after a network error is one too.
    err instanceof MongoNetworkError ||
    err instanceof MongoTopologyClosedError ||
    (err instanceof MongoServerError && typeof err.code === "number" && SERVER_AWAY.has(err.code))
  );
}

/** Error middleware before the problem handler: the database's 503s leave as problems. */
export const databaseErrors: ErrorRequestHandler = (err: unknown, _req, _res, next) => {
  if (isPoolTimeout(err)) next(new DatabaseBusyError(err));
  else if (isDatabaseUnavailable(err)) next(new DatabaseUnavailableError(err));
  else next(err);
};
