// The database task's settings, merged into the service's by src/settings.ts.
import { z } from "zod";

import { integer, required, seconds } from "../core/config.js";

// The database is the URL's path: required, so that every process of the service
// (server, migrate, tests) works in the same one. A replica set's URL lists its
// hosts with commas (mongodb://a:27017,b:27017/db), which no URL parser takes.
export const MONGODB_URL = /^(mongodb(?:\+srv)?:\/\/(?:[^@/\s]+@)?([^@/?\s]+)\/)([^/?\s]+)(\?\S*)?$/;

const mongoUrl = z.string(required).refine((value) => MONGODB_URL.test(value), {
  message: "must look like mongodb://user:pass@host:port/db (the database name is required)",
});

export const databaseSettings = {
  DATABASE_URL: mongoUrl,
  DB_POOL_SIZE: integer(1, 1000).default(10),
  // How long a request waits for a pooled connection before it is answered 503.
  DB_POOL_TIMEOUT_SECONDS: seconds(3600).default(5),
};
