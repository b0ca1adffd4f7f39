import { describe, expect, it } from "vitest";

import { openRedis } from "../../src/cache/client.js";
import { captureLogs } from "../helpers/logs.js";
import { expectReadinessToFollow } from "../helpers/readiness.js";
import { closedPort } from "../helpers/tcp-proxy.js";

describe("Redis readiness", () => {
  it("turns /health/ready into a 503 when Redis becomes unreachable", async () => {
    await expectReadinessToFollow("REDIS_URL", 6379, "redis");
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
