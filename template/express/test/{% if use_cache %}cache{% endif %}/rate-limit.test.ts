import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";

import { startTestApp, validEnv, type TestApp } from "../helpers/app.js";
import { uniqueClientIp } from "../helpers/clients.js";
import { startTcpProxy, viaProxy, type TcpProxy } from "../helpers/tcp-proxy.js";

const API_PATH = "/api/v1/no-such-route";

describe("rate limit counted in Redis", () => {
  const services: TestApp[] = [];
  let proxy: TcpProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
    await Promise.all(services.splice(0).map((service) => service.close()));
  });

  const start = async (env: Record<string, string>): Promise<TestApp> => {
    const service = await startTestApp({ env });
    services.push(service);
    return service;
  };

  it("shares one client's count between instances", async () => {
    const [one, two] = [await start({ RATE_LIMIT_PER_MINUTE: "3" }), await start({ RATE_LIMIT_PER_MINUTE: "3" })];
    const client = uniqueClientIp();
    const call = (service: TestApp): request.Test => request(service.app).get(API_PATH).set("X-Forwarded-For", client);
    const remaining = [];
    for (const service of [one, two, one]) remaining.push((await call(service)).headers["ratelimit-remaining"]);
    const limited = await call(two);
    expect(remaining).toEqual(["2", "1", "0"]);
    expect(limited.status).toBe(429);
  });

  it("serves requests unlimited while Redis is down", async () => {
    const real = new URL(validEnv().REDIS_URL ?? "");
    proxy = await startTcpProxy(real.hostname, Number(real.port || 6379));
    const service = await start({ RATE_LIMIT_PER_MINUTE: "1", REDIS_URL: viaProxy(real.toString(), proxy) });
    await proxy.close();
    const client = uniqueClientIp();
    const responses = [
      await request(service.app).get(API_PATH).set("X-Forwarded-For", client),
      await request(service.app).get(API_PATH).set("X-Forwarded-For", client),
    ];
    expect(responses.map((response) => response.status)).toEqual([404, 404]);
    expect(responses[0]?.headers["ratelimit-limit"]).toBeUndefined();
    const warnings = service.logs.records().filter((record) => record.level === "warn");
    expect(warnings.map((record) => record.msg)).toContain("rate limit counter unavailable; request not limited");
  });
});
