import express from "express";
import helmet from "helmet";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";

import { helmetOptions, securityHeaders } from "../src/core/security.js";
import { startTestApp, type TestApp } from "./helpers/app.js";

// What Node and Express send on any response, helmet or not.
const NOT_HELMET = new Set(["date", "connection", "keep-alive", "content-length", "transfer-encoding"]);

describe("security headers", () => {
  let service: TestApp | undefined;
  afterEach(async () => {
    await service?.close();
  });

  it("are set on every response, errors included", async () => {
    service = await startTestApp();
    for (const path of ["/health/live", "/no-such-route"]) {
      const response = await request(service.app).get(path);
      expect(response.headers["x-content-type-options"]).toBe("nosniff");
      expect(response.headers["x-frame-options"]).toBe("DENY");
      expect(response.headers["referrer-policy"]).toBe("no-referrer");
      expect(response.headers["strict-transport-security"]).toBeUndefined();
      expect(response.headers["x-powered-by"]).toBeUndefined();
    }
  });

  it.each([false, true])("are exactly what helmet sets on a response (HSTS %s)", async (hsts) => {
    const app = express();
    app.use(helmet(helmetOptions(hsts)));
    app.get("/", (_req, res) => {
      res.end();
    });
    const response = await request(app).get("/");
    const fromHelmet = Object.entries(response.headers).filter(([name]) => !NOT_HELMET.has(name));
    const recorded = securityHeaders(hsts).map(([name, value]) => [name.toLowerCase(), value]);
    expect(recorded.sort()).toEqual(fromHelmet.sort());
  });

  it("include HSTS only when HSTS_ENABLED is set", async () => {
    service = await startTestApp({ env: { HSTS_ENABLED: "true" } });
    const response = await request(service.app).get("/health/live");
    expect(response.headers["strict-transport-security"]).toMatch(/^max-age=\d+/);
  });
});

describe("CORS", () => {
  let service: TestApp | undefined;
  afterEach(async () => {
    await service?.close();
  });

  it("allows no origin by default", async () => {
    service = await startTestApp();
    const response = await request(service.app).get("/health/live").set("Origin", "https://evil.example");
    expect(response.headers["access-control-allow-origin"]).toBeUndefined();
    expect(response.headers["access-control-expose-headers"]).toBeUndefined();
  });

  it("allows only the origins listed in CORS_ORIGINS", async () => {
    service = await startTestApp({ env: { CORS_ORIGINS: "https://app.example, https://admin.example" } });
    const allowed = await request(service.app).get("/health/live").set("Origin", "https://admin.example");
    expect(allowed.headers["access-control-allow-origin"]).toBe("https://admin.example");
    const refused = await request(service.app).get("/health/live").set("Origin", "https://evil.example");
    expect(refused.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("exposes the service's headers to allowed origins", async () => {
    service = await startTestApp({ env: { CORS_ORIGINS: "https://app.example" } });
    const allowed = await request(service.app).get("/health/live").set("Origin", "https://app.example");
    expect(allowed.headers["access-control-expose-headers"]).toBe(
      "X-Request-ID, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After, Location, ETag, X-Cache",
    );
    // Without Access-Control-Allow-Origin a browser lets the other origin read nothing.
    const refused = await request(service.app).get("/health/live").set("Origin", "https://evil.example");
    expect(refused.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("answers a preflight from an allowed origin", async () => {
    service = await startTestApp({ env: { CORS_ORIGINS: '["https://app.example"]' } });
    const response = await request(service.app)
      .options("/health/live")
      .set("Origin", "https://app.example")
      .set("Access-Control-Request-Method", "GET");
    expect(response.status).toBe(204);
    expect(response.headers["access-control-allow-origin"]).toBe("https://app.example");
  });

  it("answers any preflight 204 without a body, allowed or not", async () => {
    service = await startTestApp({ env: { CORS_ORIGINS: "https://app.example" } });
    const { app } = service;
    const preflight = (origin: string) =>
      request(app)
        .options("/api/v1/users")
        .set("Origin", origin)
        .set("Access-Control-Request-Method", "PATCH")
        .set("Access-Control-Request-Headers", "x-a, x-b");
    const allowed = await preflight("https://app.example");
    const refused = await preflight("https://evil.example");
    for (const response of [allowed, refused]) {
      expect([response.status, response.text]).toEqual([204, ""]);
      expect(response.headers["access-control-allow-methods"]).toBe("GET, HEAD, POST, PATCH, DELETE");
      expect(response.headers["access-control-allow-headers"]).toBe("x-a, x-b");
      expect(response.headers["access-control-max-age"]).toBe("600");
      expect(response.headers.vary).toBe("Origin, Access-Control-Request-Headers");
    }
    expect(allowed.headers["access-control-allow-origin"]).toBe("https://app.example");
    // The browser refuses a preflight answer without Access-Control-Allow-Origin.
    expect(refused.headers["access-control-allow-origin"]).toBeUndefined();
    const notPreflight = await request(app).options("/health/live");
    expect(notPreflight.status).toBe(405);
  });
});
