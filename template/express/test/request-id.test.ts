import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { startTestApp, type TestApp } from "./helpers/app.js";

const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("X-Request-ID", () => {
  let service: TestApp;
  beforeEach(async () => {
    service = await startTestApp();
  });
  afterEach(async () => {
    await service.close();
  });

  it("echoes a valid incoming request id", async () => {
    const response = await request(service.app).get("/health/live").set("X-Request-ID", "abc.DEF_123-xyz");
    expect(response.headers["x-request-id"]).toBe("abc.DEF_123-xyz");
  });

  it("accepts an id of exactly 128 characters", async () => {
    const id = "a".repeat(128);
    const response = await request(service.app).get("/health/live").set("X-Request-ID", id);
    expect(response.headers["x-request-id"]).toBe(id);
  });

  it("generates a UUID4 when the request has none", async () => {
    const response = await request(service.app).get("/health/live");
    expect(response.headers["x-request-id"]).toMatch(UUID4);
  });

  it("replaces an invalid incoming id with a new UUID4", async () => {
    const invalid = ["a".repeat(129), "id with spaces;drop", "abc%0d%0aSet-Cookie:x=1", ""];
    for (const id of invalid) {
      const response = await request(service.app).get("/health/live").set("X-Request-ID", id);
      expect(response.headers["x-request-id"]).toMatch(UUID4);
    }
  });

  it("carries the id on error responses too", async () => {
    const response = await request(service.app).get("/missing").set("X-Request-ID", "on-a-404");
    expect(response.status).toBe(404);
    expect(response.headers["x-request-id"]).toBe("on-a-404");
  });
});
