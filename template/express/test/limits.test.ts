import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";

import { loadConfig } from "../src/settings.js";
import { startTestApp, validEnv, type TestApp } from "./helpers/app.js";
import { uniqueClientIp } from "./helpers/clients.js";

// No such route, so no storage is touched; it is still under /api/v1, so it is limited.
const API_PATH = "/api/v1/no-such-route";
const PROBLEM_JSON = /^application\/problem\+json/;

describe("rate limit", () => {
  let service: TestApp | undefined;
  afterEach(async () => {
    await service?.close();
  });

  const limitedTo = async (limit: number): Promise<TestApp> => {
    service = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: String(limit) } });
    return service;
  };

  it("puts RateLimit headers on every API response, counting down", async () => {
    const { app } = await limitedTo(5);
    const client = uniqueClientIp();
    const first = await request(app).get(API_PATH).set("X-Forwarded-For", client);
    const second = await request(app).get(API_PATH).set("X-Forwarded-For", client);
    expect(first.headers["ratelimit-limit"]).toBe("5");
    expect(first.headers["ratelimit-remaining"]).toBe("4");
    expect(second.headers["ratelimit-remaining"]).toBe("3");
    const reset = Number(first.headers["ratelimit-reset"]);
    expect(Number.isInteger(reset) && reset >= 1 && reset <= 60).toBe(true);
  });

  it("answers past the limit with a 429 problem and Retry-After", async () => {
    const { app } = await limitedTo(3);
    const client = uniqueClientIp();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      statuses.push((await request(app).get(API_PATH).set("X-Forwarded-For", client)).status);
    }
    const limited = await request(app).get(API_PATH).set("X-Forwarded-For", client);
    expect(statuses).toEqual([404, 404, 404]);
    expect(limited.status).toBe(429);
    expect(limited.headers["content-type"]).toMatch(PROBLEM_JSON);
    expect(limited.body).toEqual({
      type: "about:blank",
      title: "Too Many Requests",
      status: 429,
      detail: "More than 3 requests a minute; retry after the Retry-After delay.",
    });
    const retryAfter = Number(limited.headers["retry-after"]);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    expect(limited.headers["ratelimit-remaining"]).toBe("0");
    expect(limited.headers["ratelimit-reset"]).toBe(limited.headers["retry-after"]);
    expect(limited.headers["x-request-id"]).toBeDefined();
    expect(limited.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("gives each client address its own limit", async () => {
    const { app } = await limitedTo(1);
    const client = uniqueClientIp();
    await request(app).get(API_PATH).set("X-Forwarded-For", client);
    const limited = await request(app).get(API_PATH).set("X-Forwarded-For", client);
    const other = await request(app).get(API_PATH).set("X-Forwarded-For", uniqueClientIp());
    expect(limited.status).toBe(429);
    expect(other.status).toBe(404);
  });

  it("does not limit the health endpoints", async () => {
    const { app } = await limitedTo(1);
    const client = uniqueClientIp();
    const responses = [];
    for (let i = 0; i < 3; i += 1) {
      responses.push(await request(app).get("/health/live").set("X-Forwarded-For", client));
    }
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(responses[0]?.headers["ratelimit-limit"]).toBeUndefined();
  });

  it("counts a body over 1 MiB and answers its 413 with the same headers as any API answer", async () => {
    const { app } = await limitedTo(5);
    const response = await request(app)
      .post("/api/v1/users")
      .set("X-Forwarded-For", uniqueClientIp())
      .set("Content-Type", "application/json")
      .send(JSON.stringify({ name: "x".repeat(1024 * 1024) }));
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({
      title: "Content Too Large",
      detail: "The request body is larger than 1 MiB.",
    });
    expect(response.headers["ratelimit-remaining"]).toBe("4");
    expect(response.headers["x-request-id"]).toBeDefined();
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("allows 120 requests a minute unless RATE_LIMIT_PER_MINUTE says otherwise", () => {
    expect(loadConfig({ ...validEnv(), RATE_LIMIT_PER_MINUTE: "" }).rateLimitPerMinute).toBe(120);
    expect(loadConfig({ ...validEnv(), RATE_LIMIT_PER_MINUTE: "30" }).rateLimitPerMinute).toBe(30);
    expect(() => loadConfig({ ...validEnv(), RATE_LIMIT_PER_MINUTE: "0" })).toThrow(/RATE_LIMIT_PER_MINUTE/);
  });
});
