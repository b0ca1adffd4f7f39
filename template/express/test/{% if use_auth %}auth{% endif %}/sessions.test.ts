// Signing in, refresh-token rotation and reuse detection, signing out, the login
// rate limit, and what never reaches the logs.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { digest } from "../../src/auth/tokens.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { expectUnauthorized, makeAccount, PASSWORD, signIn, uniqueEmail } from "./accounts.js";
import { passwordHashOf, refreshTokensOf } from "./stored.js";

let testApp: TestApp;

beforeAll(async () => {
  testApp = await startTestApp();
});

afterAll(async () => {
  await testApp.close();
});

const refresh = (token: string) => request(testApp.app).post("/api/v1/auth/refresh").send({ refresh_token: token });

describe("sign-up and sign-in", () => {
  it("requires a password of 8 to 128 characters to sign up, and never returns it", async () => {
    const email = uniqueEmail();
    const missing = await request(testApp.app).post("/api/v1/users").send({ email, name: "Ada" });
    expect(missing.status).toBe(422);
    const short = await request(testApp.app).post("/api/v1/users").send({ email, name: "Ada", password: "short" });
    expect(short.status).toBe(422);
    const created = await request(testApp.app).post("/api/v1/users").send({ email, name: "Ada", password: PASSWORD });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body as object).sort()).toEqual(["created_at", "email", "id", "name", "role"]);
  });

  it("stores the password as an Argon2id hash", async () => {
    const account = await makeAccount(testApp);
    expect(await passwordHashOf(testApp, account.id)).toMatch(/^\$argon2id\$/);
  });

  it("issues a token pair from JSON or from the OAuth2 form", async () => {
    const account = await makeAccount(testApp);
    const json = await signIn(testApp.app, account.email.toUpperCase());
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ token_type: "Bearer", expires_in: 900 });
    const form = await request(testApp.app)
      .post("/api/v1/auth/token")
      .type("form")
      .send({ username: account.email, password: PASSWORD });
    expect(form.status).toBe(200);
    expect(Object.keys(form.body as object).sort()).toEqual([
      "access_token",
      "expires_in",
      "refresh_token",
      "token_type",
    ]);
  });

  it("answers an unknown email and a wrong password with the same 401", async () => {
    const account = await makeAccount(testApp);
    const wrong = await signIn(testApp.app, account.email, "not the password");
    const unknown = await signIn(testApp.app, uniqueEmail());
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });

  it("stores only the SHA-256 of a refresh token", async () => {
    const account = await makeAccount(testApp);
    const tokens = await refreshTokensOf(testApp, account.id);
    expect(tokens.map((token) => token.tokenHash)).toEqual([digest(account.refreshToken)]);
  });
});

describe("refresh tokens", () => {
  it("rotates: a refresh gives a new pair and retires the old token", async () => {
    const account = await makeAccount(testApp);
    const first = await refresh(account.refreshToken);
    expect(first.status).toBe(200);
    const pair = first.body as { access_token: string; refresh_token: string };
    expect(pair.refresh_token).not.toBe(account.refreshToken);
    const me = await request(testApp.app).get("/api/v1/users/me").auth(pair.access_token, { type: "bearer" });
    expect(me.status).toBe(200);
    expect((await refresh(pair.refresh_token)).status).toBe(200);
  });

  it("revokes the whole family when a replaced refresh token is presented again", async () => {
    const account = await makeAccount(testApp);
    const rotated = (await refresh(account.refreshToken)).body as { refresh_token: string };
    expect((await refresh(account.refreshToken)).status).toBe(401);
    // The thief's replay ended the session: the legitimate newer token is dead too.
    expect((await refresh(rotated.refresh_token)).status).toBe(401);
    const tokens = await refreshTokensOf(testApp, account.id);
    expect(tokens.length).toBe(2);
    expect(tokens.every((token) => token.revoked)).toBe(true);
  });

  it("gives one new pair when the same token is refreshed twice at once", async () => {
    const account = await makeAccount(testApp);
    const statuses = await Promise.all([refresh(account.refreshToken), refresh(account.refreshToken)]);
    expect(statuses.map((response) => response.status).sort()).toEqual([200, 401]);
  });

  it("rejects an unknown refresh token", async () => {
    expect((await refresh("not-a-token")).status).toBe(401);
  });

  it("signs out with 204 and revokes the family", async () => {
    const account = await makeAccount(testApp);
    const logout = await request(testApp.app).post("/api/v1/auth/logout").send({ refresh_token: account.refreshToken });
    expect(logout.status).toBe(204);
    expect((await refresh(account.refreshToken)).status).toBe(401);
  });
});

describe("login rate limit", () => {
  it("answers 429 with Retry-After after too many failures for one email", async () => {
    const account = await makeAccount(testApp);
    for (let i = 0; i < testApp.config.loginAttemptsPerMinute; i += 1) {
      expect((await signIn(testApp.app, account.email, "wrong password")).status).toBe(401);
    }
    const blocked = await signIn(testApp.app, account.email);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(blocked.headers["retry-after"])).toBeLessThanOrEqual(60);
    // Another email from the same client is not affected.
    expect((await signIn(testApp.app, uniqueEmail())).status).toBe(401);
  });

  it("resets the count after a successful sign-in", async () => {
    const account = await makeAccount(testApp);
    for (let round = 0; round < 2; round += 1) {
      for (let i = 0; i < testApp.config.loginAttemptsPerMinute - 1; i += 1) {
        expect((await signIn(testApp.app, account.email, "wrong password")).status).toBe(401);
      }
      expect((await signIn(testApp.app, account.email)).status).toBe(200);
    }
  });
});

describe("logs", () => {
  it("never hold a password, a token or the secret", async () => {
    const account = await makeAccount(testApp);
    await signIn(testApp.app, account.email, "a wrong password here");
    await refresh(account.refreshToken);
    const text = testApp.logs.text();
    expect(text).toContain(account.id);
    for (const secret of [PASSWORD, "a wrong password here", account.accessToken, account.refreshToken]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toContain(testApp.config.jwtSecret);
  });
});

describe("401 responses", () => {
  it("carry WWW-Authenticate: Bearer on every protected route", async () => {
    for (const path of ["/api/v1/users/me", "/api/v1/users", "/api/v1/posts"]) {
      expectUnauthorized(await request(testApp.app).get(path));
    }
  });
});
