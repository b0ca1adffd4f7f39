// Access tokens: what the verifier accepts, and every forgery it must refuse.
import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";

import { SignJWT } from "jose";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startTestApp, type TestApp } from "../helpers/app.js";
import { expectUnauthorized, makeAccount, type Account } from "./accounts.js";

let testApp: TestApp;
let account: Account;

beforeAll(async () => {
  testApp = await startTestApp();
  account = await makeAccount(testApp);
});

afterAll(async () => {
  await testApp.close();
});

const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString("base64url");

function claims(changes: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  const base: Record<string, unknown> = {
    sub: account.id,
    role: "user",
    iat: now,
    exp: now + 300,
    iss: testApp.config.jwtIssuer,
    aud: testApp.config.jwtAudience,
    jti: randomUUID(),
  };
  return Object.fromEntries(Object.entries({ ...base, ...changes }).filter(([, value]) => value !== undefined));
}

/** An HS256 token over `payload`, signed with `key` (the service's secret by default). */
function hs256(payload: Record<string, unknown>, key: string | Buffer = testApp.config.jwtSecret): string {
  const unsigned = `${b64({ alg: "HS256", typ: "JWT" })}.${b64(payload)}`;
  return `${unsigned}.${createHmac("sha256", key).update(unsigned).digest("base64url")}`;
}

const me = (token: string) => request(testApp.app).get("/api/v1/users/me").auth(token, { type: "bearer" });

describe("access tokens", () => {
  it("accepts a token it issued, carrying every required claim", async () => {
    const response = await me(account.accessToken);
    expect(response.status).toBe(200);
    const [, payload] = account.accessToken.split(".");
    const decoded = JSON.parse(Buffer.from(payload ?? "", "base64url").toString()) as Record<string, unknown>;
    expect(Object.keys(decoded).sort()).toEqual(["aud", "exp", "iat", "iss", "jti", "role", "sub"]);
    expect(decoded.exp).toBe(Number(decoded.iat) + 900);
  });

  it("accepts a well-formed HS256 token signed with the secret", async () => {
    expect((await me(hs256(claims()))).status).toBe(200);
  });

  it("rejects a request without a token", async () => {
    expectUnauthorized(await request(testApp.app).get("/api/v1/users/me"));
  });

  it("rejects a token signed with alg none", async () => {
    expectUnauthorized(await me(`${b64({ alg: "none", typ: "JWT" })}.${b64(claims())}.`));
  });

  it("rejects a token signed with another key", async () => {
    expectUnauthorized(await me(hs256(claims(), "another-secret-that-is-long-enough-0123456789")));
  });

  it("rejects a tampered payload", async () => {
    const [header, , signature] = hs256(claims()).split(".");
    expectUnauthorized(await me(`${header}.${b64(claims({ role: "admin" }))}.${signature}`));
  });

  it("rejects an expired token", async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    expectUnauthorized(await me(hs256(claims({ iat: past, exp: past + 60 }))));
  });

  it.each(["sub", "role", "iat", "exp", "iss", "aud", "jti"])("rejects a token without %s", async (claim) => {
    expectUnauthorized(await me(hs256(claims({ [claim]: undefined }))));
  });

  it("rejects a wrong issuer or audience", async () => {
    expectUnauthorized(await me(hs256(claims({ iss: "someone-else" }))));
    expectUnauthorized(await me(hs256(claims({ aud: "someone-else" }))));
  });

  it("rejects a token of a deleted or unknown account", async () => {
    expectUnauthorized(await me(hs256(claims({ sub: randomUUID() }))));
  });

  it("rejects a refresh token used as an access token", async () => {
    expectUnauthorized(await me(account.refreshToken));
  });
});

describe("asymmetric algorithms", () => {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const rsaEnv = {
    JWT_ALGORITHM: "RS256",
    JWT_PRIVATE_KEY: rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    JWT_PUBLIC_KEY: rsa.publicKey.export({ type: "spki", format: "pem" }).toString(),
  };

  it.each([
    ["RS256", rsaEnv],
    [
      "EdDSA",
      (() => {
        const ed = generateKeyPairSync("ed25519");
        return {
          JWT_ALGORITHM: "EdDSA",
          JWT_PRIVATE_KEY: ed.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
          JWT_PUBLIC_KEY: ed.publicKey.export({ type: "spki", format: "pem" }).toString(),
        };
      })(),
    ],
  ])("signs and verifies with %s keys", async (algorithm, env) => {
    const keyed = await startTestApp({ env });
    try {
      const user = await makeAccount(keyed);
      const [header] = user.accessToken.split(".");
      expect(JSON.parse(Buffer.from(header ?? "", "base64url").toString())).toMatchObject({ alg: algorithm });
      expect((await request(keyed.app).get("/api/v1/users/me").auth(user.accessToken, { type: "bearer" })).status).toBe(
        200,
      );
    } finally {
      await keyed.close();
    }
  });

  it("rejects algorithm confusion: HS256 keyed with the RS256 public key", async () => {
    const keyed = await startTestApp({ env: rsaEnv });
    try {
      const forged = await new SignJWT(claims())
        .setProtectedHeader({ alg: "HS256" })
        .sign(new TextEncoder().encode(rsaEnv.JWT_PUBLIC_KEY));
      expectUnauthorized(await request(keyed.app).get("/api/v1/users/me").auth(forged, { type: "bearer" }));
    } finally {
      await keyed.close();
    }
  });

  it("refuses to start with RS256 but no keys", async () => {
    await expect(startTestApp({ env: { JWT_ALGORITHM: "RS256" } })).rejects.toThrow(
      /JWT_PRIVATE_KEY and JWT_PUBLIC_KEY/,
    );
  });
});
