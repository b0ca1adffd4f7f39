// Query operators never arrive from a request: a value that should be text but is a
// JSON object ({"$ne": null}) is refused by validation, a 422 problem, before any
// query is built.
import { randomUUID } from "node:crypto";

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startTestApp, type TestApp } from "../helpers/app.js";
import { errorLocations } from "../helpers/crud.js";

const OPERATOR = { $ne: null };

let service: TestApp;
beforeAll(async () => {
  service = await startTestApp();
});
afterAll(async () => {
  await service.close();
});

describe("operator injection: users", () => {
  it("refuses an operator as the email or the name of a sign-up", async () => {
    const email = await request(service.app).post("/api/v1/users").send({ email: OPERATOR, name: "Ada" });
    expect(errorLocations(email)).toEqual([["body", "email"]]);
    const name = await request(service.app)
      .post("/api/v1/users")
      .send({ email: `someone-${randomUUID()}@example.com`, name: OPERATOR });
    expect(errorLocations(name)).toEqual([["body", "name"]]);
  });

  it("refuses a query value that is not one text: a repeated cursor", async () => {
    const response = await request(service.app).get("/api/v1/users?cursor=a&cursor=b");
    expect(errorLocations(response)).toEqual([["query", "cursor"]]);
  });

  it("never parses a bracketed query key into an operator", async () => {
    // Query strings are parsed flat: `limit[$gt]` is a parameter of its own, ignored.
    const response = await request(service.app).get("/api/v1/users?limit[$gt]=0");
    expect(response.status).toBe(200);
  });
});

describe("operator injection: posts", () => {
  it("refuses an operator as the author of a new post", async () => {
    const response = await request(service.app)
      .post("/api/v1/posts")
      .send({ author_id: OPERATOR, title: "Hello", body: "Text." });
    expect(errorLocations(response)).toEqual([["body", "author_id"]]);
  });

  it("refuses an operator as the title of a change", async () => {
    const response = await request(service.app).patch(`/api/v1/posts/${randomUUID()}`).send({ title: OPERATOR });
    expect(errorLocations(response)).toEqual([["body", "title"]]);
  });

  it("refuses a query value that is not one text: a repeated author_id", async () => {
    const response = await request(service.app).get(
      `/api/v1/posts?author_id=${randomUUID()}&author_id=${randomUUID()}`,
    );
    expect(errorLocations(response)).toEqual([["query", "author_id"]]);
  });
});
