// The database task's part of the service: the MongoDB client and its pool, and the
// repositories over it, from start-up to shut-down, and the 503 its errors answer.
import type { Db, MongoClient } from "mongodb";

import { apiPaths } from "../api.js";
import type { Task } from "../wiring.js";
import { poolLimited } from "./database.openapi.js";
import { collections } from "./documents.js";
import { checkDatabase, createClient, databaseOf, limitReads, openDatabase } from "./engine.js";
import { databaseErrors } from "./errors.js";
import { COMMAND_MONITORING } from "./monitoring.js";
import { mongoRepositories } from "./repositories.js";

declare module "../wiring.js" {
  interface AppDeps {
    /** The MongoDB client (its pool), for what works beside the API's repositories (tests). */
    mongo: MongoClient;
    /** The database DATABASE_URL names. */
    db: Db;
  }
}

export const lifespan: Task = {
  /** Open the client (waiting for MongoDB) and register its readiness check. */
  async open(deps, { retry }, closers) {
    const { config } = deps;
    const client = createClient(config, COMMAND_MONITORING);
    closers.push(() => client.close());
    await openDatabase(client, config.databaseUrl, deps.logger, retry);
    const db = databaseOf(client);
    deps.mongo = client;
    deps.db = db;
    const reads = { maxTimeMS: Math.round(config.requestTimeoutSeconds * 1000) };
    limitReads(db, reads);
    deps.repositories = mongoRepositories({ client, ...collections(db), reads });
    deps.readiness.database = () => checkDatabase(client);
  },
  errorHandlers: [databaseErrors],
  amendments: () => [poolLimited(apiPaths())],
};
