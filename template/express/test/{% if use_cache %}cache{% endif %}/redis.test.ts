import type { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";

import { openRedis, createRedis } from "../../src/cache/client.js";
import { validEnv } from "../helpers/app.js";
import { captureLogs } from "../helpers/logs.js";
import { startTcpProxy, viaProxy, type TcpProxy } from "../helpers/tcp-proxy.js";

describe("Redis client", () => {
  let client: Redis | undefined;
  let proxy: TcpProxy | undefined;
  afterEach(async () => {
    client?.disconnect();
    await proxy?.close();
  });

  it("does not connect when it is created", () => {
    client = createRedis({ redisUrl: validEnv().REDIS_URL ?? "" }, captureLogs().logger);
    expect(client.status).toBe("wait");
  });

  it("serves concurrent commands once connected", async () => {
    client = await openRedis({ redisUrl: validEnv().REDIS_URL ?? "" }, captureLogs().logger, { attempts: 1 });
    const connected = client;
    const replies = await Promise.all(Array.from({ length: 20 }, () => connected.ping()));
    expect(replies).toEqual(Array.from({ length: 20 }, () => "PONG"));
  });

  it("fails a command at once while Redis is unreachable instead of queueing it", async () => {
    const real = new URL(validEnv().REDIS_URL ?? "");
    proxy = await startTcpProxy(real.hostname, Number(real.port || 6379));
    client = await openRedis({ redisUrl: viaProxy(real.toString(), proxy) }, captureLogs().logger, { attempts: 1 });
    await proxy.close();
    // Queued commands would wait for a reconnect: with the offline queue off and
    // one retry per request, ioredis rejects instead (a hang fails by the test timeout).
    await expect(client.get("any-key")).rejects.toThrow(/writeable|Connection is closed|max retries per request/);
  });
});
