import request from "supertest";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { startTestApp, type TestApp } from "./helpers/app.js";

describe("access log", () => {
  let service: TestApp;
  beforeEach(async () => {
    service = await startTestApp();
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
    // The same fields as the FastAPI service's line; no user_id without a caller.
    expect(Object.keys(line ?? {}).sort()).toEqual(
      ["duration_ms", "level", "method", "msg", "path", "request_id", "status", "time"].sort(),
    );
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
