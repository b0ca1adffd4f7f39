// `npm run migrate` (after `npm run build`): the collections, validators and
// indexes of migrations.ts in the database DATABASE_URL names, each step once.
import dotenv from "dotenv";
import { z } from "zod";

import { databaseSettings } from "./config.js";
import { createClient } from "./engine.js";
import { migrate } from "./migrations.js";

async function main(): Promise<number> {
  dotenv.config({ quiet: true });
  const parsed = z.object(databaseSettings).safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    console.error(`Invalid settings:\n  ${problems.join("\n  ")}`);
    return 1;
  }
  const settings = parsed.data;
  const client = createClient({
    databaseUrl: settings.DATABASE_URL,
    dbPoolSize: 1,
    // Migrations wait longer than a request would for MongoDB to come up.
    dbPoolTimeoutSeconds: Math.max(settings.DB_POOL_TIMEOUT_SECONDS, 30),
  });
  try {
    const applied = await migrate(client.db());
    console.error(applied.length > 0 ? `applied: ${applied.join(", ")}` : "nothing to apply");
    return 0;
  } finally {
    await client.close();
  }
}

process.exitCode = await main();
