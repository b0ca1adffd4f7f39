// SQL statements counted per request, and slow ones logged. Both watch every
// connection the pool hands out, so every statement is seen whichever code sent
// it (a repository, a readiness check, a raw pool.query). The count lives in
// AsyncLocalStorage, so concurrent requests never mix their counts.
import { AsyncLocalStorage } from "node:async_hooks";
import { performance } from "node:perf_hooks";

import type pg from "pg";
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
const instrumented = new WeakSet<pg.Pool>();

/** Run `work` with a new count of the statements it sends (and everything it awaits). */
export function countingQueries<T>(work: (count: QueryCount) => T, requestId?: string): T {
  const count: QueryCount = { statements: 0, requestId };
  return current.run(count, work, count);
}

/**
 * Count every statement sent through `pool`, and log those slower than
 * `slowQueryMs` as one JSON line. Once per pool: a second call changes nothing.
 */
export function instrumentPool(pool: pg.Pool, options: QueryLogOptions): void {
  if (instrumented.has(pool)) return;
  instrumented.add(pool);
  const watched = new WeakSet<pg.PoolClient>();
  // Emitted at every check-out, so connections opened before this call are watched too.
  pool.on("acquire", (client) => {
    if (watched.has(client)) return;
    watched.add(client);
    watch(client, options);
  });
}

/** pg.Client#query, whose many overloads all end up here: (query, values?, callback?). */
type Query = (this: pg.PoolClient, ...args: unknown[]) => unknown;

function watch(client: pg.PoolClient, { slowQueryMs, logger }: QueryLogOptions): void {
  // The class's method, looked up at each call: whatever wraps it (a test's spy) still runs.
  const prototype = Object.getPrototypeOf(client) as { query: Query };
  const query = (...args: unknown[]): unknown => {
    const count = current.getStore();
    if (count) count.statements += 1;
    const started = performance.now();
    const finished = (): void => {
      const durationMs = performance.now() - started;
      if (durationMs < slowQueryMs) return;
      // The statement's text only: its parameters may hold emails or password hashes.
      logger.warn(
        {
          duration_ms: Math.round(durationMs * 100) / 100,
          statement: statementText(args[0]),
          ...(count?.requestId === undefined ? {} : { request_id: count.requestId }),
        },
        "slow query",
      );
    };
    const last = args.at(-1);
    if (typeof last === "function") {
      // pool.query passes a callback; Kysely awaits the returned promise.
      const callback = last as (...results: unknown[]) => unknown;
      args[args.length - 1] = (...results: unknown[]): unknown => {
        finished();
        return callback(...results);
      };
      return prototype.query.apply(client, args);
    }
    const result = prototype.query.apply(client, args);
    if (result instanceof Promise) void result.then(finished, finished);
    return result;
  };
  client.query = query as typeof client.query;
}

function statementText(query: unknown): string {
  if (typeof query === "string") return query;
  const text = (query as { text?: unknown } | null)?.text;
  return typeof text === "string" ? text : "";
}
