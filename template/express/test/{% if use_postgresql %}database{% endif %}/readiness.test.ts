import { describe, expect, it } from "vitest";

import { loadConfig } from "../../src/settings.js";
import { createEngine, openDatabase } from "../../src/database/engine.js";
import { validEnv } from "../helpers/app.js";
import { captureLogs } from "../helpers/logs.js";
import { expectReadinessToFollow } from "../helpers/readiness.js";
import { closedPort } from "../helpers/tcp-proxy.js";

describe("PostgreSQL readiness", () => {
  it("turns /health/ready into a 503 when PostgreSQL becomes unreachable", async () => {
    await expectReadinessToFollow("DATABASE_URL", 5432, "database");
  });
});

describe("PostgreSQL start-up", () => {
  it("retries three times then fails with a message naming PostgreSQL", async () => {
    const port = await closedPort();
    const config = loadConfig({ ...validEnv(), DATABASE_URL: `postgresql://app:pw@127.0.0.1:${port}/app` });
    const { logger } = captureLogs();
    const pool = createEngine(config, logger);
    const waits: number[] = [];
    try {
      await expect(openDatabase(pool, logger, { sleep: (ms) => Promise.resolve(waits.push(ms)) })).rejects.toThrow(
        `Could not connect to PostgreSQL at 127.0.0.1:${port}/app`,
      );
    } finally {
      await pool.end();
    }
    expect(waits).toHaveLength(2);
  });
});
