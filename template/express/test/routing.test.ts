// Routing answers first: a path no route serves is a 404 and a method the route does
// not serve a 405 with Allow, before any authentication could answer 401.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startTestApp, type TestApp } from "./helpers/app.js";

// A v4 UUID of nothing: the item routes match it whatever they would find.
const NOBODY = "00000000-0000-4000-8000-000000000000";

const UNKNOWN_PATHS = ["/api/v1/no-such-route", `/api/v1/posts/${NOBODY}/comments`, `/api/v1/users/${NOBODY}/posts`];

const WRONG_METHODS: [method: "put" | "post" | "delete", path: string, allow: string][] = [
  ["put", "/api/v1/posts", "GET, POST"],
  ["put", `/api/v1/posts/${NOBODY}`, "GET, PATCH, DELETE"],
  ["post", `/api/v1/posts/${NOBODY}`, "GET, PATCH, DELETE"],
  ["delete", "/api/v1/users", "GET, POST"],
  ["put", `/api/v1/users/${NOBODY}`, "GET, DELETE"],
];

// No Authorization header, and one that no configuration of this service accepts.
const TOKENS: [label: string, headers: Record<string, string>][] = [
  ["no token", {}],
  ["an invalid token", { Authorization: "Bearer not.a.jwt" }],
];

let testApp: TestApp;

beforeAll(async () => {
  testApp = await startTestApp();
});

afterAll(async () => {
  await testApp.close();
});

describe.each(TOKENS)("routing under /api/v1 with %s", (_label, headers) => {
  it.each(UNKNOWN_PATHS)("answers GET %s with a 404 problem", async (path) => {
    const response = await request(testApp.app).get(path).set(headers);
    expect(response.status).toBe(404);
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(response.body).toEqual({
      type: "about:blank",
      title: "Not Found",
      status: 404,
      detail: `No resource at GET ${path}.`,
    });
  });

  it.each(WRONG_METHODS)("answers %s %s with a 405 problem allowing %s", async (method, path, allow) => {
    const response = await request(testApp.app)[method](path).set(headers);
    expect(response.status).toBe(405);
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(response.headers.allow).toBe(allow);
    expect(response.body).toEqual({
      type: "about:blank",
      title: "Method Not Allowed",
      status: 405,
      detail: `${method.toUpperCase()} is not allowed here; use ${allow}.`,
    });
  });
});
