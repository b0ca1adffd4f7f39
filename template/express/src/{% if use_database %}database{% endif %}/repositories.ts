import type { Repositories } from "../api.js";
import type { Db } from "./db.js";
import { PostgresPostRepository } from "./posts.repository.js";
import { PostgresUserRepository } from "./users.repository.js";

/** The API's storage in PostgreSQL, through `db`. */
export function postgresRepositories(db: Db): Repositories {
  return { users: new PostgresUserRepository(db), posts: new PostgresPostRepository(db) };
}
