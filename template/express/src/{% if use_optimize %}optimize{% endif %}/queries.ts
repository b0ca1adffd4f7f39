// Database statements counted per request, and slow ones logged. statements.ts
// watches the database's own connections, so every statement is seen whichever
// code sent it; this module keeps the count, in AsyncLocalStorage so concurrent
// requests never mix their counts, and writes the slow-query line.
import { AsyncLocalStorage } from "node:async_hooks";

import type { Logger } from "pino";

export interface QueryCount {
  statements: number;
  /** The request's id, written on its slow-query lines. */
  requestId: string | undefined;
}

export interface QueryLogOptions {
  /** Statements that take at least this long are logged. */
  slowQueryMs: number;
  logger: Logger;
}

const current = new AsyncLocalStorage<QueryCount>();

/** Run `work` with a new count of the statements it sends (and everything it awaits). */
export function countingQueries<T>(work: (count: QueryCount) => T, requestId?: string): T {
  const count: QueryCount = { statements: 0, requestId };
  return current.run(count, work, count);
}

/** One more statement sent in the current count, if any; that count, for its slow-query line. */
export function countStatement(): QueryCount | undefined {
  const count = current.getStore();
  if (count) count.statements += 1;
  return count;
}

/**
 * One JSON line for a statement that took at least `slowQueryMs`. `statement` names it
 * as statements.ts does, never with the values it was sent with.
 */
export function logIfSlow(
  { slowQueryMs, logger }: QueryLogOptions,
  durationMs: number,
  statement: string,
  count: QueryCount | undefined,
): void {
  if (durationMs < slowQueryMs) return;
  logger.warn(
    {
      duration_ms: Math.round(durationMs * 100) / 100,
      statement,
      ...(count?.requestId === undefined ? {} : { request_id: count.requestId }),
    },
    "slow query",
  );
}
