import { Router } from "express";
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { startTestApp, type TestApp } from "./helpers/app.js";

const ACCESS_LINE_FIELDS = ["duration_ms", "level", "method", "msg", "path", "request_id", "status", "time"];

// Routes that exist only in these tests.
function testRoutes(): Router {
  const router = Router();
  router.get("/explode", () => {
    throw new Error("a bug");
  });
  router.get("/cut-short", (_req, res, next) => {
    res.write("first chunk");
    next(new Error("the source failed mid-stream"));
  });
  return router;
}

describe("access log", () => {
  let service: TestApp;
  beforeEach(async () => {
    service = await startTestApp({ extraRoutes: testRoutes() });
  });
  afterEach(async () => {
    await service.close();
  });

  const accessLines = (): Record<string, unknown>[] =>
    service.logs.records().filter((record) => record.msg === "request");

  it("writes one JSON access line per request with its fields", async () => {
    await request(service.app).get("/health/live?verbose=1").set("X-Request-ID", "log-line-1");
    await vi.waitFor(() => {
      expect(accessLines()).toHaveLength(1);
    });
    const [line] = accessLines();
    // The fields the README lists; no user_id without a caller.
    expect(Object.keys(line ?? {}).sort()).toEqual([...ACCESS_LINE_FIELDS].sort());
    expect(line).toMatchObject({
      level: "info",
      method: "GET",
      path: "/health/live",
      status: 200,
      request_id: "log-line-1",
      duration_ms: expect.any(Number) as number,
    });
  });

  it("logs the status of failed requests", async () => {
    await request(service.app).delete("/nowhere");
    await vi.waitFor(() => {
      expect(accessLines()).toHaveLength(1);
    });
    expect(accessLines()[0]).toMatchObject({ method: "DELETE", path: "/nowhere", status: 404 });
  });

  it("writes a server error's line with the same fields, at info", async () => {
    await request(service.app).get("/explode").set("X-Request-ID", "log-line-500");
    await vi.waitFor(() => {
      expect(accessLines()).toHaveLength(1);
    });
    const [line] = accessLines();
    expect(Object.keys(line ?? {}).sort()).toEqual([...ACCESS_LINE_FIELDS].sort());
    expect(line).toMatchObject({ level: "info", status: 500, request_id: "log-line-500" });
  });

  it("marks a response cut short as aborted", async () => {
    await expect(request(service.app).get("/cut-short").set("X-Request-ID", "cut-short")).rejects.toThrow();
    await vi.waitFor(() => {
      expect(accessLines()).toHaveLength(1);
    });
    expect(accessLines()[0]).toMatchObject({ request_id: "cut-short", status: 200, aborted: true });
  });

  it("never logs credentials or request bodies", async () => {
    const token = "Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.sig-value-123";
    await request(service.app)
      .post("/health/live")
      .set("Authorization", token)
      .set("Cookie", "session=cookie-value-456")
      .send({ password: "hunter2-password-789" });
    await request(service.app).get("/does-not-exist").set("Authorization", token);
    await vi.waitFor(() => {
      expect(accessLines()).toHaveLength(2);
    });
    const text = service.logs.text();
    expect(text).not.toContain("eyJhbGciOiJIUzI1NiJ9");
    expect(text).not.toContain("sig-value-123");
    expect(text).not.toContain("cookie-value-456");
    expect(text).not.toContain("hunter2-password-789");
  });
});
