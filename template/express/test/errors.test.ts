import { Router } from "express";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";

import { AppError } from "../src/core/errors.js";
import { formatSeconds } from "../src/core/timeout.js";
import { parseInput } from "../src/core/validation.js";
import { startTestApp, type TestApp } from "./helpers/app.js";

const PROBLEM_JSON = /^application\/problem\+json/;

// Routes that exist only in these tests.
function testRoutes(): Router {
  const router = Router();
  const Widget = z.strictObject({ name: z.string().min(1).max(10), size: z.number().int().positive() });
  router.post("/widgets", (req, res) => {
    const widget = parseInput(Widget, req.body, "body");
    res.status(201).json(widget);
  });
  router.get("/explode", () => {
    throw new Error("SELECT password_hash FROM users WHERE id = 42 -- internal detail");
  });
  router.get("/explode-async", async () => {
    await Promise.resolve();
    throw new TypeError("cannot read properties of undefined (reading 'rows')");
  });
  router.get("/slow", async (_req, res) => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    res.json({ finished: true });
  });
  router.get("/teapot", () => {
    throw new AppError("teapot", 418, "This server only brews tea.");
  });
  return router;
}

describe("problem responses", () => {
  let service: TestApp | undefined;
  afterEach(async () => {
    await service?.close();
  });
  const start = async (): Promise<TestApp> => (service = await startTestApp({ extraRoutes: testRoutes() }));

  it("answers an unknown route with a 404 problem", async () => {
    const { app } = await start();
    const response = await request(app).get("/no/such/route");
    expect(response.status).toBe(404);
    expect(response.headers["content-type"]).toMatch(PROBLEM_JSON);
    expect(response.body).toEqual({
      type: "about:blank",
      title: "Not Found",
      status: 404,
      detail: expect.any(String) as string,
    });
  });

  it("answers a wrong method with a 405 problem and an Allow header", async () => {
    const { app } = await start();
    const response = await request(app).post("/health/live");
    expect(response.status).toBe(405);
    expect(response.headers["content-type"]).toMatch(PROBLEM_JSON);
    expect(response.headers.allow).toBe("GET");
    expect(response.body).toMatchObject({ type: "about:blank", title: "Method Not Allowed", status: 405 });
  });

  it("answers invalid input with a 422 problem listing each bad field", async () => {
    const { app } = await start();
    const response = await request(app).post("/widgets").send({ name: "", size: "big", colour: "red" });
    expect(response.status).toBe(422);
    expect(response.headers["content-type"]).toMatch(PROBLEM_JSON);
    expect(response.body).toMatchObject({
      type: "about:blank",
      title: "Unprocessable Content",
      status: 422,
      detail: expect.any(String) as string,
    });
    const errors = (response.body as { errors: { loc: unknown[]; msg: string; type: string }[] }).errors;
    expect(errors.map((error) => error.loc)).toEqual(
      expect.arrayContaining([
        ["body", "name"],
        ["body", "size"],
        ["body", "colour"],
      ]),
    );
    for (const error of errors) {
      expect(error).toEqual({
        loc: expect.any(Array) as unknown[],
        msg: expect.any(String) as string,
        type: expect.any(String) as string,
      });
    }
  });

  it("replaces the raw input with the validated output", async () => {
    const { app } = await start();
    const response = await request(app).post("/widgets").send({ name: "bolt", size: 3 });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ name: "bolt", size: 3 });
  });

  it("answers malformed JSON with a 422 problem", async () => {
    const { app } = await start();
    const response = await request(app).post("/widgets").set("Content-Type", "application/json").send('{"name":');
    expect(response.status).toBe(422);
    expect(response.headers["content-type"]).toMatch(PROBLEM_JSON);
    expect(response.body).toMatchObject({ status: 422, errors: [{ loc: ["body"], type: "json_invalid" }] });
  });

  it("answers a body over 1 MiB with a 413 problem", async () => {
    const { app } = await start();
    const response = await request(app)
      .post("/widgets")
      .set("Content-Type", "application/json")
      .send(JSON.stringify({ name: "x".repeat(1_100_000) }));
    expect(response.status).toBe(413);
    expect(response.headers["content-type"]).toMatch(PROBLEM_JSON);
  });

  it("answers 503 when a request outlives REQUEST_TIMEOUT_SECONDS", async () => {
    service = await startTestApp({ env: { REQUEST_TIMEOUT_SECONDS: "0.1" }, extraRoutes: testRoutes() });
    const response = await request(service.app).get("/slow");
    expect(response.status).toBe(503);
    expect(response.headers["content-type"]).toMatch(PROBLEM_JSON);
    expect(response.body).toEqual({
      type: "about:blank",
      title: "Service Unavailable",
      status: 503,
      detail: "The request did not complete within 0.1 seconds.",
    });
    // The handler's late answer is dropped without crashing anything.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const next = await request(service.app).get("/health/live");
    expect(next.status).toBe(200);
  });

  it("writes the timeout's seconds in their shortest form, six significant digits at most", () => {
    const written = [30, 0.05, 0.1, 12.5, 3600, 0.1234567, 0.00001].map(formatSeconds);
    expect(written).toEqual(["30", "0.05", "0.1", "12.5", "3600", "0.123457", "1e-05"]);
  });

  it("turns an AppError into a problem with its status and detail", async () => {
    const { app } = await start();
    const response = await request(app).get("/teapot");
    expect(response.status).toBe(418);
    expect(response.body).toEqual({
      type: "about:blank",
      title: "I'm a Teapot",
      status: 418,
      detail: "This server only brews tea.",
    });
  });

  it("hides the cause of a 500 and logs it with the request id", async () => {
    const { app, logs } = await start();
    for (const path of ["/explode", "/explode-async"]) {
      const requestId = `trace-500${path.replaceAll("/", ".")}`;
      const response = await request(app).get(path).set("X-Request-ID", requestId);
      expect(response.status).toBe(500);
      expect(response.headers["content-type"]).toMatch(PROBLEM_JSON);
      expect(response.body).toEqual({
        type: "about:blank",
        title: "Internal Server Error",
        status: 500,
        detail: "An unexpected error occurred.",
      });
      expect(response.text).not.toMatch(/SELECT|password|rows|\bat\s.+:\d+:\d+/);
      const failure = logs
        .records()
        .find((record) => record.msg === "request failed" && record.request_id === requestId);
      expect(failure).toMatchObject({ level: "error" });
      expect(JSON.stringify(failure?.err)).toMatch(/stack/);
    }
  });
});
