// timestamptz values come out of PostgreSQL as the API's timestamp text.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { timestampFromPostgres } from "../../src/database/timestamps.js";
import { startTestApp, type TestApp } from "../helpers/app.js";

let service: TestApp;

beforeAll(async () => {
  service = await startTestApp();
});

afterAll(async () => {
  await service.close();
});

describe("timestamps from PostgreSQL", () => {
  it.each([
    ["2026-11-26 06:41:17+00", "2026-11-26T06:41:17.000Z"],
    ["2026-11-26 06:41:17.1+00", "2026-11-26T06:41:17.100Z"],
    ["2026-11-26 06:41:17.12+00", "2026-11-26T06:41:17.120Z"],
    ["2026-11-26 06:41:17.123+00", "2026-11-26T06:41:17.123Z"],
    ["2026-11-26 12:11:17.123+05:30", "2026-11-26T06:41:17.123Z"],
    ["2026-11-26 01:41:17.5-05", "2026-11-26T06:41:17.500Z"],
  ])("reads %s as %s", (text, expected) => {
    expect(timestampFromPostgres(text)).toBe(expected);
  });

  it.each(["UTC", "Asia/Kolkata", "America/St_Johns"])("reads the same instant in a %s session", async (zone) => {
    const client = await service.deps.pool.connect();
    try {
      await client.query(`SET TIME ZONE '${zone}'`);
      const result = await client.query<{ at: string }>("SELECT '2026-01-31T23:59:58.07Z'::timestamptz(3) AS at");
      expect(result.rows[0]?.at).toBe("2026-01-31T23:59:58.070Z");
    } finally {
      await client.query("RESET TIME ZONE");
      client.release();
    }
  });
});
