// Which user a provider's sign-in is (the linking rules), and unlinking, against the real database.
import { randomUUID } from "node:crypto";

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { SignInRefused } from "../../src/oauth/errors.js";
import { displayName, resolveUser, type ProviderAccount } from "../../src/oauth/identities.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { makeAccount, signIn, uniqueEmail } from "../auth/accounts.js";
import { PROVIDER_ENV } from "./oauth.js";

let testApp: TestApp;

beforeAll(async () => {
  testApp = await startTestApp({ env: PROVIDER_ENV });
});

afterAll(async () => {
  await testApp.close();
});

function account(changes: Partial<ProviderAccount> = {}): ProviderAccount {
  return {
    provider: "test",
    subject: randomUUID(),
    email: uniqueEmail(),
    emailVerified: true,
    name: "Ada",
    ...changes,
  };
}

async function refusal(pending: Promise<unknown>): Promise<string> {
  const err: unknown = await pending.catch((caught: unknown) => caught);
  if (!(err instanceof SignInRefused)) throw new Error(`not refused: ${String(err)}`);
  return err.code;
}

const me = (token: string) => request(testApp.app).get("/api/v1/users/me").auth(token, { type: "bearer" });

describe("the linking rules", () => {
  it("creates a user without a password on a first sign-in, then finds it by its identity", async () => {
    const first = account({ email: ` ${uniqueEmail().toUpperCase()} ` });
    const user = await resolveUser(testApp.deps.db, first);
    expect(user).toMatchObject({ email: first.email?.trim().toLowerCase(), name: "Ada", role: "user" });
    const { rows } = await testApp.deps.pool.query("SELECT password_hash FROM users WHERE id = $1", [user.id]);
    expect(rows[0]).toEqual({ password_hash: null });
    // The email may change at the provider: the identity still says who it is.
    expect((await resolveUser(testApp.deps.db, { ...first, email: uniqueEmail() })).id).toBe(user.id);
    expect((await signIn(testApp.app, user.email, "any password at all")).status).toBe(401);
  });

  it("links an existing account by its email only when the provider verified it", async () => {
    const existing = await makeAccount(testApp);
    const unverified = account({ email: existing.email.toUpperCase(), emailVerified: false });
    expect(await refusal(resolveUser(testApp.deps.db, unverified))).toBe("email_not_verified");
    const verified = account({ email: existing.email.toUpperCase() });
    expect((await resolveUser(testApp.deps.db, verified)).id).toBe(existing.id);
    expect((await me(existing.accessToken)).body).toMatchObject({ id: existing.id, providers: ["test"] });
  });

  it("needs an email to create an account", async () => {
    expect(await refusal(resolveUser(testApp.deps.db, account({ email: undefined })))).toBe("email_required");
  });

  it("makes one user of concurrent first sign-ins of one identity", async () => {
    const first = account();
    const users = await Promise.all(Array.from({ length: 4 }, () => resolveUser(testApp.deps.db, first)));
    expect(new Set(users.map((user) => user.id)).size).toBe(1);
  });

  it("takes the name from the token, else from the email", () => {
    expect(displayName("  Ada Lovelace ", "ada@example.com")).toBe("Ada Lovelace");
    expect(displayName("   ", "ada@example.com")).toBe("ada");
    expect(displayName("x".repeat(101), "grace@example.com")).toBe("grace");
    expect(displayName(undefined, "linus@example.com")).toBe("linus");
  });
});

describe("DELETE /users/me/identities/{provider}", () => {
  const unlink = (token: string, provider = "test") =>
    request(testApp.app).delete(`/api/v1/users/me/identities/${provider}`).auth(token, { type: "bearer" });

  it("unlinks a provider of an account that has a password", async () => {
    const existing = await makeAccount(testApp);
    await resolveUser(testApp.deps.db, account({ email: existing.email }));
    await resolveUser(testApp.deps.db, account({ email: existing.email, provider: "another" }));
    expect((await me(existing.accessToken)).body).toMatchObject({ providers: ["another", "test"] });
    expect((await unlink(existing.accessToken)).status).toBe(204);
    expect((await me(existing.accessToken)).body).toMatchObject({ providers: ["another"] });
    const again = await unlink(existing.accessToken);
    expect(again.status).toBe(404);
    expect(again.headers["content-type"]).toMatch(/^application\/problem\+json/);
  });

  it("refuses to remove the last way in (no password, no other identity) with a 409", async () => {
    const only = await resolveUser(testApp.deps.db, account());
    const code = await testApp.deps.oauth.codes.issue(only.id);
    const pair = await request(testApp.app).post("/api/v1/auth/oauth/exchange").send({ code });
    const access = (pair.body as { access_token: string }).access_token;
    const refused = await unlink(access);
    expect(refused.status).toBe(409);
    expect((refused.body as { detail: string }).detail).toMatch(/only way to sign in/);
    expect((await me(access)).body).toMatchObject({ providers: ["test"] });
  });

  it("answers 401 without a token", async () => {
    expect((await request(testApp.app).delete("/api/v1/users/me/identities/test")).status).toBe(401);
  });

  it("goes with the user: a deleted user's identities are deleted too", async () => {
    const user = await resolveUser(testApp.deps.db, account());
    await testApp.deps.pool.query("DELETE FROM users WHERE id = $1", [user.id]);
    const { rows } = await testApp.deps.pool.query("SELECT count(*) AS n FROM identities WHERE user_id = $1", [
      user.id,
    ]);
    expect(Number((rows[0] as { n: string }).n)).toBe(0);
  });
});
