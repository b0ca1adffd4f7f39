// Who may do what (the permission map), object-level checks and mass assignment.
import { randomUUID } from "node:crypto";

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { allows, PERMISSIONS } from "../../src/auth/permissions.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { makeAccount, PASSWORD, signIn, type Account } from "./accounts.js";
import { setRole } from "./stored.js";

let testApp: TestApp;
let alice: Account;
let bob: Account;
let admin: Account;

beforeAll(async () => {
  testApp = await startTestApp();
  [alice, bob, admin] = await Promise.all([makeAccount(testApp), makeAccount(testApp), makeAccount(testApp, "admin")]);
});

afterAll(async () => {
  await testApp.close();
});

const as = (account: Account) => ({
  get: (path: string) => request(testApp.app).get(path).auth(account.accessToken, { type: "bearer" }),
  post: (path: string, body: object) =>
    request(testApp.app).post(path).auth(account.accessToken, { type: "bearer" }).send(body),
  patch: (path: string, body: object) =>
    request(testApp.app).patch(path).auth(account.accessToken, { type: "bearer" }).send(body),
  delete: (path: string) => request(testApp.app).delete(path).auth(account.accessToken, { type: "bearer" }),
});

async function postBy(account: Account): Promise<string> {
  const response = await as(account).post("/api/v1/posts", { title: "Mine", body: "Text." });
  expect(response.status).toBe(201);
  return (response.body as { id: string }).id;
}

describe("the permission map", () => {
  it("gives users their own records only and admins everyone's", () => {
    expect(allows("user", "users:read")).toBe(false);
    expect(allows("user", "users:read", true)).toBe(true);
    expect(allows("user", "users:list")).toBe(false);
    expect(allows("admin", "users:list")).toBe(true);
    expect(allows("user", "posts:update", false)).toBe(false);
    expect(allows("user", "posts:update", true)).toBe(true);
    expect(allows("admin", "posts:delete", false)).toBe(true);
    for (const permission of PERMISSIONS.user) expect(PERMISSIONS.admin.has(permission)).toBe(true);
  });
});

describe("RBAC over HTTP", () => {
  it.each([
    ["GET /users", 403, 200],
    ["DELETE /users/{other}", 403, 204],
  ])("%s: user %i, admin %i", async (route, userStatus, adminStatus) => {
    const victim = await makeAccount(testApp);
    const path = route.includes("{other}") ? `/api/v1/users/${victim.id}` : "/api/v1/users";
    const call = (account: Account) => (route.startsWith("GET") ? as(account).get(path) : as(account).delete(path));
    expect((await call(alice)).status).toBe(userStatus);
    expect((await call(admin)).status).toBe(adminStatus);
  });

  it("answers a user's look-up of another user with 404, and of themselves with 200", async () => {
    expect((await as(alice).get(`/api/v1/users/${bob.id}`)).status).toBe(404);
    expect((await as(alice).get(`/api/v1/users/${randomUUID()}`)).status).toBe(404);
    expect((await as(alice).get(`/api/v1/users/${alice.id}`)).status).toBe(200);
    expect((await as(admin).get(`/api/v1/users/${bob.id}`)).status).toBe(200);
  });

  it("lets only the author or an admin change or delete a post (BOLA)", async () => {
    const post = await postBy(alice);
    expect((await as(bob).patch(`/api/v1/posts/${post}`, { title: "Hijacked" })).status).toBe(403);
    expect((await as(bob).delete(`/api/v1/posts/${post}`)).status).toBe(403);
    expect((await as(bob).get(`/api/v1/posts/${post}`)).status).toBe(200);
    expect((await as(alice).patch(`/api/v1/posts/${post}`, { title: "Edited" })).status).toBe(200);
    expect((await as(admin).patch(`/api/v1/posts/${post}`, { title: "Moderated" })).status).toBe(200);
    expect((await as(admin).delete(`/api/v1/posts/${post}`)).status).toBe(204);
    expect((await as(alice).delete(`/api/v1/posts/${post}`)).status).toBe(404);
  });

  it("applies a demotion at once: the role is read from the database, not the token", async () => {
    const demoted = await makeAccount(testApp, "admin");
    expect((await as(demoted).get("/api/v1/users")).status).toBe(200);
    await setRole(testApp, demoted.id, "user");
    // What any code that changes a role does (create-admin does): drop the cached record.
    await testApp.deps.userCache.forget(demoted.id);
    expect((await as(demoted).get("/api/v1/users")).status).toBe(403);
  });
});

describe("mass assignment", () => {
  it("refuses a role at sign-up", async () => {
    const response = await request(testApp.app)
      .post("/api/v1/users")
      .send({ email: `${randomUUID()}@example.com`, name: "Eve", password: PASSWORD, role: "admin" });
    expect(response.status).toBe(422);
    expect((response.body as { errors: { loc: string[] }[] }).errors.map((error) => error.loc)).toEqual([
      ["body", "role"],
    ]);
  });

  it("refuses an author_id when writing or changing a post: the author is the caller", async () => {
    const created = await as(alice).post("/api/v1/posts", { title: "T", author_id: bob.id });
    expect(created.status).toBe(422);
    const post = await postBy(alice);
    expect((await as(alice).patch(`/api/v1/posts/${post}`, { author_id: bob.id })).status).toBe(422);
    const mine = await as(alice).get(`/api/v1/posts/${post}`);
    expect((mine.body as { author_id: string }).author_id).toBe(alice.id);
  });

  it("lets /users/me change the name and password, never the role or email", async () => {
    const me = await makeAccount(testApp);
    expect((await as(me).patch("/api/v1/users/me", { role: "admin" })).status).toBe(422);
    expect((await as(me).patch("/api/v1/users/me", { email: "x@example.com" })).status).toBe(422);
    expect((await as(me).patch("/api/v1/users/me", { name: null })).status).toBe(422);
    const renamed = await as(me).patch("/api/v1/users/me", { name: "Renamed", password: "a brand new password" });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: me.id, name: "Renamed", role: "user" });
    expect((await signIn(testApp.app, me.email, "a brand new password")).status).toBe(200);
  });
});
