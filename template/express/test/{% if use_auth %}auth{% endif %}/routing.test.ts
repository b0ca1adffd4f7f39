// The routes of the auth task answer an unknown path or method like any other:
// 404 or 405, whether the caller sent no token, a rejected one or a valid one.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startTestApp, type TestApp } from "../helpers/app.js";
import { makeAccount } from "./accounts.js";

let testApp: TestApp;
const tokens: [label: string, headers: Record<string, string>][] = [
  ["no token", {}],
  ["an invalid token", { Authorization: "Bearer not.a.jwt" }],
];

beforeAll(async () => {
  testApp = await startTestApp();
  const account = await makeAccount(testApp);
  tokens.push(["a valid token", { Authorization: `Bearer ${account.accessToken}` }]);
});

afterAll(async () => {
  await testApp.close();
});

describe("routing of the auth routes", () => {
  it("answers a wrong method on /users/me with a 405 allowing GET and PATCH", async () => {
    for (const [label, headers] of tokens) {
      const response = await request(testApp.app).put("/api/v1/users/me").set(headers);
      expect([label, response.status, response.headers.allow]).toEqual([label, 405, "GET, PATCH"]);
    }
  });

  it("answers GET on the sign-in, refresh and logout routes with a 405 allowing POST", async () => {
    for (const [label, headers] of tokens) {
      for (const path of ["/api/v1/auth/token", "/api/v1/auth/refresh", "/api/v1/auth/logout"]) {
        const response = await request(testApp.app).get(path).set(headers);
        expect([label, path, response.status, response.headers.allow]).toEqual([label, path, 405, "POST"]);
      }
    }
  });

  it("answers an unknown path below a signed-in router with a 404", async () => {
    for (const [label, headers] of tokens) {
      for (const path of ["/api/v1/users/me/posts", "/api/v1/posts/latest/comments", "/api/v1/auth/nothing"]) {
        const response = await request(testApp.app).get(path).set(headers);
        expect([label, path, response.status]).toEqual([label, path, 404]);
      }
    }
  });
});
