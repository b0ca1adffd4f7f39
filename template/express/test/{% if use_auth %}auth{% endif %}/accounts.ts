// Accounts and sign-ins for the auth tests. Every account has its own email, so
// files running in parallel (and the login rate limit) never meet.
import { randomUUID } from "node:crypto";

import type { Express } from "express";
import request from "supertest";
import { expect } from "vitest";

import { createAdmin } from "../../src/auth/admin.js";
import type { TestApp } from "../helpers/app.js";

export const PASSWORD = "correct horse battery staple";

export interface Account {
  id: string;
  email: string;
  role: string;
  accessToken: string;
  refreshToken: string;
}

export function uniqueEmail(): string {
  return `auth-${randomUUID()}@example.com`;
}

export async function signIn(app: Express, email: string, password = PASSWORD): Promise<request.Response> {
  return request(app).post("/api/v1/auth/token").send({ email, password });
}

/** A signed-in account; `role: "admin"` goes through create-admin (named by it), as an operator would. */
export async function makeAccount(testApp: TestApp, role: "user" | "admin" = "user", name = "Ada"): Promise<Account> {
  const email = uniqueEmail();
  if (role === "admin") {
    await createAdmin(testApp.deps.db, email, PASSWORD, testApp.deps.userCache);
  } else {
    const created = await request(testApp.app).post("/api/v1/users").send({ email, name, password: PASSWORD });
    expect(created.status).toBe(201);
  }
  const response = await signIn(testApp.app, email);
  expect(response.status).toBe(200);
  const body = response.body as { access_token: string; refresh_token: string };
  const me = await request(testApp.app).get("/api/v1/users/me").auth(body.access_token, { type: "bearer" });
  const user = me.body as { id: string; role: string };
  return { id: user.id, email, role: user.role, accessToken: body.access_token, refreshToken: body.refresh_token };
}

export function expectUnauthorized(response: request.Response): void {
  expect(response.status).toBe(401);
  expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
  expect(response.headers["www-authenticate"]).toMatch(/^Bearer/);
}
