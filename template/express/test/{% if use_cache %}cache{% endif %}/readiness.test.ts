import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";

import { openRedis } from "../../src/cache/client.js";
import { HEALTHY_CHECKS, startTestApp, validEnv, type TestApp } from "../helpers/app.js";
import { captureLogs } from "../helpers/logs.js";
import { closedPort, startTcpProxy, viaProxy, type TcpProxy } from "../helpers/tcp-proxy.js";

describe("Redis readiness", () => {
  let service: TestApp | undefined;
  let proxy: TcpProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    await service?.close();
  });

  it("turns /health/ready into a 503 when Redis becomes unreachable", async () => {
    const real = new URL(validEnv().REDIS_URL ?? "");
    proxy = await startTcpProxy(real.hostname, Number(real.port || 6379));
    service = await startTestApp({ env: { REDIS_URL: viaProxy(real.toString(), proxy) } });

    const before = await request(service.app).get("/health/ready");
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ status: "ok", checks: HEALTHY_CHECKS });

    await proxy.close();
    const after = await request(service.app).get("/health/ready");
    expect(after.status).toBe(503);
    expect(after.body).toEqual({ status: "error", checks: { ...HEALTHY_CHECKS, redis: "error" } });
    // A probe that hung on the dead connection would fail this test by its timeout.
  });
});

describe("Redis start-up", () => {
  it("retries three times then fails with a message naming Redis", async () => {
    const port = await closedPort();
    const waits: number[] = [];
    await expect(
      openRedis({ redisUrl: `redis://127.0.0.1:${port}/9` }, captureLogs().logger, {
        sleep: (ms) => Promise.resolve(waits.push(ms)),
      }),
    ).rejects.toThrow(`Could not connect to Redis at 127.0.0.1:${port}/9`);
    expect(waits).toHaveLength(2);
  });
});
