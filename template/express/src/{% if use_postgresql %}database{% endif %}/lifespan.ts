// The database task's part of the service: the pool and the PostgreSQL
// repositories from start-up to shut-down, and the 503 its errors answer.
import type pg from "pg";

import { apiPaths } from "../api.js";
import type { Task } from "../wiring.js";
import { poolLimited } from "./database.openapi.js";
import { checkDatabase, createDb, createEngine, openDatabase, type Db } from "./engine.js";
import { databaseErrors } from "./errors.js";
import { postgresRepositories } from "./repositories.js";

declare module "../wiring.js" {
  interface AppDeps {
    /** The PostgreSQL pool, for what works beside the API's repositories (tests, create-admin). */
    pool: pg.Pool;
    /** Queries on the pool. */
    db: Db;
  }
}

export const lifespan: Task = {
  /** Open the pool (waiting for PostgreSQL) and register its readiness check. */
  async open(deps, { retry }, closers) {
    const pool = createEngine(deps.config, deps.logger);
    closers.push(() => pool.end());
    await openDatabase(pool, deps.logger, retry);
    deps.pool = pool;
    deps.db = createDb(pool);
    deps.repositories = postgresRepositories(deps.db);
    deps.readiness.database = () => checkDatabase(pool);
  },
  errorHandlers: [databaseErrors],
  amendments: () => [poolLimited(apiPaths())],
};
