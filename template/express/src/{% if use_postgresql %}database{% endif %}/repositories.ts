import type { Repositories } from "../api.js";
import type { Db } from "./engine.js";
import { PostgresPostRepository } from "./posts.js";
import { PostgresUserRepository } from "./users.js";

/** The API's storage in PostgreSQL, through `db`. */
export function postgresRepositories(db: Db): Repositories {
  return { users: new PostgresUserRepository(db), posts: new PostgresPostRepository(db) };
}
