import type pg from "pg";

import type { Repositories } from "../api.js";
import { PostgresPostRepository } from "./posts.repository.js";
import { PostgresUserRepository } from "./users.repository.js";

/** The API's storage in PostgreSQL, through `pool`. */
export function postgresRepositories(pool: pg.Pool): Repositories {
  return { users: new PostgresUserRepository(pool), posts: new PostgresPostRepository(pool) };
}
