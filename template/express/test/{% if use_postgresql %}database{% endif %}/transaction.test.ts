import { randomUUID } from "node:crypto";

import { sql } from "kysely";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";

import { loadConfig } from "../../src/settings.js";
import { createDb, createEngine } from "../../src/database/engine.js";
import { withTransaction } from "../../src/database/transaction.js";
import { validEnv } from "../helpers/app.js";
import { captureLogs } from "../helpers/logs.js";

describe("withTransaction against PostgreSQL", () => {
  const pool = createEngine(loadConfig(validEnv()), captureLogs().logger);
  const db = createDb(pool);
  // A table of its own per test, so tests never see each other's rows.
  let table: string;
  const probe = () => sql.table(table);

  beforeEach(async () => {
    table = `tx_probe_${randomUUID().replaceAll("-", "")}`;
    await sql`CREATE TABLE ${probe()} (id integer PRIMARY KEY, note text NOT NULL)`.execute(db);
  });
  afterEach(async () => {
    await sql`DROP TABLE IF EXISTS ${probe()}`.execute(db);
  });
  // Closed once, after the last test of this file.
  afterAll(async () => {
    await pool.end();
  });

  const count = async (): Promise<number> => {
    const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${probe()}`.execute(db);
    return result.rows[0]?.n ?? -1;
  };

  it("commits every step when the work succeeds", async () => {
    const result = await withTransaction(db, async (trx) => {
      await sql`INSERT INTO ${probe()} (id, note) VALUES (1, 'first')`.execute(trx);
      await sql`INSERT INTO ${probe()} (id, note) VALUES (2, 'second')`.execute(trx);
      return "done";
    });
    expect(result).toBe("done");
    expect(await count()).toBe(2);
  });

  it("leaves nothing behind when a later step fails in the database", async () => {
    const work = withTransaction(db, async (trx) => {
      await sql`INSERT INTO ${probe()} (id, note) VALUES (1, 'first')`.execute(trx);
      await sql`INSERT INTO ${probe()} (id, note) VALUES (1, 'duplicate key')`.execute(trx);
    });
    await expect(work).rejects.toThrow(/duplicate key/);
    expect(await count()).toBe(0);
  });

  it("leaves nothing behind when the code throws between steps", async () => {
    const work = withTransaction(db, async (trx) => {
      await sql`INSERT INTO ${probe()} (id, note) VALUES (1, 'first')`.execute(trx);
      throw new Error("business rule violated");
    });
    await expect(work).rejects.toThrow("business rule violated");
    expect(await count()).toBe(0);
  });

  it("returns the connection to the pool after a rollback", async () => {
    await expect(withTransaction(db, () => Promise.reject(new Error("nope")))).rejects.toThrow("nope");
    expect(pool.totalCount - pool.idleCount).toBe(0);
  });
});
