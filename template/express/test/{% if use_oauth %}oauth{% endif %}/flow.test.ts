// The routes of a sign-in, as far as they go without a provider: the redirect checks of
// authorize, the callback's refusals, the exchange, the attempt limit and the logs.
import { randomBytes } from "node:crypto";

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startTestApp, type TestApp } from "../helpers/app.js";
import { makeAccount, signIn } from "../auth/accounts.js";
import { FRONT_END, fragmentOf, PROVIDER_ENV, startedSignIn } from "./oauth.js";

const OTHER_PROVIDER = {
  OIDC_PROVIDERS: "test,other",
  OIDC_OTHER_ISSUER: "http://127.0.0.1:9/other",
  OIDC_OTHER_CLIENT_ID: "service",
  OIDC_OTHER_CLIENT_SECRET: "another-client-secret",
};

let testApp: TestApp;

beforeAll(async () => {
  testApp = await startTestApp({ env: { ...PROVIDER_ENV, ...OTHER_PROVIDER, LOGIN_ATTEMPTS_PER_MINUTE: "3" } });
});

afterAll(async () => {
  await testApp.close();
});

/** A client address of its own, so that the attempt counts of tests never meet. */
const client = () =>
  `2001:db8::${randomBytes(4)
    .toString("hex")
    .replace(/(....)(....)/, "$1:$2")}`;

const authorize = (redirectTo?: string, provider = "test") =>
  request(testApp.app)
    .get(`/api/v1/auth/oauth/${provider}/authorize`)
    .query(redirectTo === undefined ? {} : { redirect_to: redirectTo });

const land = (query: Record<string, string>, from = client(), provider = "test") =>
  request(testApp.app).get(`/api/v1/auth/oauth/${provider}/callback`).query(query).set("X-Forwarded-For", from);

const exchange = (body: object, from = client()) =>
  request(testApp.app).post("/api/v1/auth/oauth/exchange").send(body).set("X-Forwarded-For", from);

describe("authorize", () => {
  it("answers 404 for a provider OIDC_PROVIDERS does not name", async () => {
    expect((await authorize(FRONT_END, "nobody")).status).toBe(404);
  });

  it("redirects only to an exact URL of OAUTH_REDIRECT_ALLOWLIST, and names it otherwise", async () => {
    for (const target of [undefined, "", "https://evil.example/", `${FRONT_END}/`, `${FRONT_END}?next=/x`]) {
      const refused = await authorize(target);
      expect(refused.status).toBe(400);
      expect(refused.headers.location).toBeUndefined();
      expect((refused.body as { detail: string }).detail).toContain("OAUTH_REDIRECT_ALLOWLIST");
    }
  });

  it("answers 502 naming the provider when its discovery fails, and tries again next time", async () => {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const failed = await authorize(FRONT_END);
      expect(failed.status).toBe(502);
      expect((failed.body as { detail: string }).detail).toContain("test");
    }
  });
});

describe("the callback", () => {
  it("answers 400 for a missing, unknown, used or another provider's state, never a redirect", async () => {
    const used = await startedSignIn(testApp);
    expect((await land({ state: used, error: "access_denied" })).status).toBe(303);
    const others = await startedSignIn(testApp, "other");
    for (const query of [{ code: "c" }, { code: "c", state: "x".repeat(43) }, { code: "c", state: used }]) {
      const refused = await land(query);
      expect(refused.status).toBe(400);
      expect(refused.headers.location).toBeUndefined();
      expect(refused.body).toMatchObject({ status: 400, title: "Bad Request" });
    }
    expect((await land({ code: "c", state: others })).status).toBe(400);
  });

  it("sends the front end #error=access_denied when the user declined at the provider", async () => {
    const landed = await land({ state: await startedSignIn(testApp), error: "access_denied" });
    expect(landed.status).toBe(303);
    expect(fragmentOf(landed.headers.location)).toEqual({ error: "access_denied" });
    expect(landed.headers["cache-control"]).toBe("no-store");
  });

  it("sends #error=provider_error for any other error, and when the provider cannot be reached", async () => {
    const failed = await land({ state: await startedSignIn(testApp), error: "server_error" });
    expect(fragmentOf(failed.headers.location)).toEqual({ error: "provider_error" });
    const away = await land({ state: await startedSignIn(testApp), code: "a-code" });
    expect(fragmentOf(away.headers.location)).toEqual({ error: "provider_error" });
  });
});

describe("the exchange", () => {
  it("gives the same token pair as /auth/token, once", async () => {
    const account = await makeAccount(testApp);
    const code = await testApp.deps.oauth.codes.issue(account.id);
    const exchanged = await exchange({ code });
    expect(exchanged.status).toBe(200);
    expect(exchanged.headers["cache-control"]).toBe("no-store");
    const signedIn = await signIn(testApp.app, account.email);
    expect(Object.keys(exchanged.body as object).sort()).toEqual(Object.keys(signedIn.body as object).sort());
    expect(exchanged.body).toMatchObject({ token_type: "Bearer", expires_in: 900 });
    const { refresh_token: refreshToken } = exchanged.body as { refresh_token: string };
    const refreshed = await request(testApp.app).post("/api/v1/auth/refresh").send({ refresh_token: refreshToken });
    expect(refreshed.status).toBe(200);
    const again = await exchange({ code });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ title: "Bad Request" });
  });

  it("refuses unknown fields with a 422", async () => {
    expect((await exchange({ code: "x".repeat(43), extra: 1 })).status).toBe(422);
  });
});

describe("the attempt limit of /auth/token", () => {
  it("counts refused callbacks and refused exchanges of a client apart, each up to 429", async () => {
    const from = client();
    expect((await land({ state: "bad" }, from)).status).toBe(400);
    expect((await land({}, from)).status).toBe(400);
    expect((await land({ state: "bad" }, from)).status).toBe(400);
    const limited = await land({ state: await startedSignIn(testApp), error: "access_denied" }, from);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    // Exchanges have a count of their own.
    for (let tried = 0; tried < 3; tried += 1) {
      expect((await exchange({ code: "x".repeat(43) }, from)).status).toBe(400);
    }
    expect((await exchange({ code: "x".repeat(43) }, from)).status).toBe(429);
    // Another client is not held back.
    expect((await exchange({ code: "x".repeat(43) })).status).toBe(400);
  });
});

describe("the logs", () => {
  it("say why a sign-in was refused, with the request id and provider, and never a state or code", async () => {
    const state = await startedSignIn(testApp);
    const landed = await land({ state, error: "access_denied" });
    const code = await testApp.deps.oauth.codes.issue((await makeAccount(testApp)).id);
    await exchange({ code });
    await exchange({ code });
    const refusal = testApp.logs
      .records()
      .find((line) => line.msg === "oauth sign-in refused" && line.request_id === landed.headers["x-request-id"]);
    expect(refusal).toMatchObject({ level: "warn", provider: "test", reason: "access_denied" });
    const text = testApp.logs.text();
    for (const secret of [state, code, "a-client-secret", "another-client-secret"]) expect(text).not.toContain(secret);
  });
});
