import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { checkReadiness } from "../src/health/health.router.js";
import { HEALTHY_CHECKS, startTestApp, type TestApp } from "./helpers/app.js";
import { captureLogs } from "./helpers/logs.js";

describe("health", () => {
  let service: TestApp;
  beforeEach(async () => {
    service = await startTestApp();
  });
  afterEach(async () => {
    await service.close();
  });

  it("reports the process alive on GET /health/live", async () => {
    const response = await request(service.app).get("/health/live");
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    expect(response.body).toEqual({ status: "ok" });
  });

  it("reports ready with one ok check per configured dependency", async () => {
    const response = await request(service.app).get("/health/ready");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "ok", checks: HEALTHY_CHECKS });
  });
});

describe("readiness checks", () => {
  it("marks a check that takes longer than the deadline as an error", async () => {
    const { logger } = captureLogs();
    const readiness = await checkReadiness(
      { fast: () => Promise.resolve(), stuck: () => new Promise<never>(() => undefined) },
      logger,
      50,
    );
    expect(readiness).toEqual({ status: "error", checks: { fast: "ok", stuck: "error" } });
  });

  it("marks a check that throws synchronously as an error", async () => {
    const { logger } = captureLogs();
    const readiness = await checkReadiness(
      {
        broken: () => {
          throw new Error("boom");
        },
      },
      logger,
    );
    expect(readiness).toEqual({ status: "error", checks: { broken: "error" } });
  });
});
