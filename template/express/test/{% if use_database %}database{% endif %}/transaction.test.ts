import { randomUUID } from "node:crypto";

import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";

import { loadConfig } from "../../src/config.js";
import { createPool } from "../../src/database/pool.js";
import { withTransaction } from "../../src/database/transaction.js";
import { validEnv } from "../helpers/app.js";
import { captureLogs } from "../helpers/logs.js";

describe("withTransaction against PostgreSQL", () => {
  const pool = createPool(loadConfig(validEnv()), captureLogs().logger);
  // A table of its own per test, so tests never see each other's rows.
  let table: string;

  beforeEach(async () => {
    table = `tx_probe_${randomUUID().replaceAll("-", "")}`;
    await pool.query(`CREATE TABLE ${table} (id integer PRIMARY KEY, note text NOT NULL)`);
  });
  afterEach(async () => {
    await pool.query(`DROP TABLE IF EXISTS ${table}`);
  });
  // Closed once, after the last test of this file.
  afterAll(async () => {
    await pool.end();
  });

  const count = async (): Promise<number> => {
    const result = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    return result.rows[0]?.n ?? -1;
  };

  it("commits every step when the work succeeds", async () => {
    const result = await withTransaction(pool, async (client) => {
      await client.query(`INSERT INTO ${table} (id, note) VALUES (1, 'first')`);
      await client.query(`INSERT INTO ${table} (id, note) VALUES (2, 'second')`);
      return "done";
    });
    expect(result).toBe("done");
    expect(await count()).toBe(2);
  });

  it("leaves nothing behind when a later step fails in the database", async () => {
    const work = withTransaction(pool, async (client) => {
      await client.query(`INSERT INTO ${table} (id, note) VALUES (1, 'first')`);
      await client.query(`INSERT INTO ${table} (id, note) VALUES (1, 'duplicate key')`);
    });
    await expect(work).rejects.toThrow(/duplicate key/);
    expect(await count()).toBe(0);
  });

  it("leaves nothing behind when the code throws between steps", async () => {
    const work = withTransaction(pool, async (client) => {
      await client.query(`INSERT INTO ${table} (id, note) VALUES (1, 'first')`);
      throw new Error("business rule violated");
    });
    await expect(work).rejects.toThrow("business rule violated");
    expect(await count()).toBe(0);
  });

  it("returns the connection to the pool after a rollback", async () => {
    await expect(withTransaction(pool, () => Promise.reject(new Error("nope")))).rejects.toThrow("nope");
    expect(pool.totalCount - pool.idleCount).toBe(0);
  });
});
