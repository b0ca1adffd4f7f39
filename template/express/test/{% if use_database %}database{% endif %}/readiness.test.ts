import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";

import { loadConfig } from "../../src/settings.js";
import { createEngine, openDatabase } from "../../src/database/engine.js";
import { HEALTHY_CHECKS, startTestApp, validEnv, type TestApp } from "../helpers/app.js";
import { captureLogs } from "../helpers/logs.js";
import { closedPort, startTcpProxy, viaProxy, type TcpProxy } from "../helpers/tcp-proxy.js";

describe("PostgreSQL readiness", () => {
  let service: TestApp | undefined;
  let proxy: TcpProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    await service?.close();
  });

  it("turns /health/ready into a 503 when PostgreSQL becomes unreachable", async () => {
    const real = new URL(validEnv().DATABASE_URL ?? "");
    proxy = await startTcpProxy(real.hostname, Number(real.port || 5432));
    service = await startTestApp({ env: { DATABASE_URL: viaProxy(real.toString(), proxy) } });

    const before = await request(service.app).get("/health/ready");
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ status: "ok", checks: HEALTHY_CHECKS });

    await proxy.close();
    const after = await request(service.app).get("/health/ready");
    expect(after.status).toBe(503);
    expect(after.body).toEqual({ status: "error", checks: { ...HEALTHY_CHECKS, database: "error" } });
    // A probe that hung on the dead connection would fail this test by its timeout.
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
