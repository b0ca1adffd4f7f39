// /health/ready really asks MongoDB (a ping), and MongoDB going away is not a bug:
// requests are answered 503 with Retry-After and the process lives on.
import { randomUUID } from "node:crypto";

import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";

import { createClient, openDatabase } from "../../src/database/engine.js";
import { loadConfig } from "../../src/settings.js";
import { HEALTHY_CHECKS, startTestApp, validEnv, type TestApp } from "../helpers/app.js";
import { signUpBody } from "../helpers/crud.js";
import { captureLogs } from "../helpers/logs.js";
import { expectReadinessToFollow } from "../helpers/readiness.js";
import { expectRetryLater } from "../helpers/retry-later.js";
import { closedPort, startTcpProxy, viaProxy, type TcpProxy } from "../helpers/tcp-proxy.js";

let service: TestApp | undefined;
let proxy: TcpProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await service?.close();
  service = proxy = undefined;
});

describe("MongoDB readiness", () => {
  it("pings MongoDB for /health/ready", async () => {
    service = await startTestApp();
    // Each ping borrows a pooled connection: the check is a round trip, not a flag.
    let roundTrips = 0;
    service.deps.mongo.on("connectionCheckedOut", () => roundTrips++);
    const ready = await request(service.app).get("/health/ready");
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: "ok", checks: HEALTHY_CHECKS });
    expect(roundTrips).toBe(1);
  });

  it("turns /health/ready into a 503 when MongoDB becomes unreachable", async () => {
    await expectReadinessToFollow("DATABASE_URL", 27017, "database");
  });
});

describe("MongoDB away", () => {
  it("answers 503 database_unavailable with Retry-After: 1 and logs it once with the request id", async () => {
    const real = new URL(validEnv().DATABASE_URL ?? "");
    proxy = await startTcpProxy(real.hostname, Number(real.port || 27017));
    service = await startTestApp({
      env: { DATABASE_URL: viaProxy(real.toString(), proxy), DB_POOL_TIMEOUT_SECONDS: "0.5" },
    });

    // Every pooled connection is dropped and no new one can be opened.
    await proxy.close();
    const email = `away-${randomUUID().slice(0, 12)}@example.com`;
    const away = await request(service.app)
      .post("/api/v1/users")
      .send(signUpBody({ email, name: "Ada" }));

    expectRetryLater(away, "The database is unavailable; retry after the Retry-After delay.");
    const failures = service.logs.records().filter((record) => record.msg === "request failed");
    expect(failures.map((record) => record.request_id)).toEqual([away.headers["x-request-id"]]);
  });
});

describe("MongoDB start-up", () => {
  it("retries three times then fails with a message naming MongoDB", async () => {
    const port = await closedPort();
    const config = loadConfig({
      ...validEnv(),
      DATABASE_URL: `mongodb://127.0.0.1:${port}/app?directConnection=true`,
      DB_POOL_TIMEOUT_SECONDS: "0.2",
    });
    const { logger } = captureLogs();
    const client = createClient(config);
    const waits: number[] = [];
    try {
      await expect(
        openDatabase(client, config.databaseUrl, logger, { sleep: (ms) => Promise.resolve(waits.push(ms)) }),
      ).rejects.toThrow(`Could not connect to MongoDB at 127.0.0.1:${port}/app`);
    } finally {
      await client.close();
    }
    expect(waits).toHaveLength(2);
  });
});
