// Access tokens: what the verifier accepts, and every forgery it must refuse.
import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";

import { SignJWT } from "jose";
import request from "supertest";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { InvalidTokenError } from "../../src/auth/errors.js";
import { readAccessToken, TokenKeys } from "../../src/auth/tokens.js";
import { VerifiedTokens } from "../../src/auth/verified.js";
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

describe("tokens verified before", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Only Date is faked: jose reads the clock through it, and the timers stay real. */
  const at = (seconds: number): void => {
    vi.useFakeTimers({ toFake: ["Date"], now: seconds * 1000 });
  };

  it("accepts a remembered token until the second its exp names, then refuses it", async () => {
    const keys = TokenKeys.load(testApp.config);
    const issued = Math.floor(Date.now() / 1000);
    const token = hs256(claims({ iat: issued, exp: issued + 60 }));
    at(issued);
    expect(await readAccessToken(keys, token)).toEqual({ userId: account.id, role: "user" });
    expect(keys.verified.size).toBe(1);
    at(issued + 59);
    expect(await readAccessToken(keys, token)).toEqual({ userId: account.id, role: "user" });
    at(issued + 60);
    await expect(readAccessToken(keys, token)).rejects.toThrow(InvalidTokenError);
    expect(keys.verified.size).toBe(0);
  });

  it("verifies a changed token in full, and never remembers a refused one", async () => {
    const keys = TokenKeys.load(testApp.config);
    const token = hs256(claims());
    await readAccessToken(keys, token);
    const [header, payload, signature = ""] = token.split(".");
    // The first character: all six of its bits are signature bits (the last one's are not).
    const flipped = signature.startsWith("A") ? "B" : "A";
    const tampered = `${header ?? ""}.${payload ?? ""}.${flipped}${signature.slice(1)}`;
    await expect(readAccessToken(keys, tampered)).rejects.toThrow(InvalidTokenError);
    await expect(readAccessToken(keys, hs256(claims({ role: "admin" }), "x".repeat(40)))).rejects.toThrow(
      InvalidTokenError,
    );
    expect(keys.verified.size).toBe(1);
  });

  it("starts empty with new keys: a token is never trusted across keys", async () => {
    const token = hs256(claims());
    await readAccessToken(TokenKeys.load(testApp.config), token);
    const other = TokenKeys.load({ ...testApp.config, jwtSecret: "y".repeat(40) });
    await expect(readAccessToken(other, token)).rejects.toThrow(InvalidTokenError);
  });

  it("forgets the oldest token when full", () => {
    const remembered = new VerifiedTokens(2);
    const claimsOf = (userId: string) => ({ userId, role: "user" });
    const future = Math.floor(Date.now() / 1000) + 600;
    remembered.remember("one", claimsOf("1"), future);
    remembered.remember("two", claimsOf("2"), future);
    remembered.remember("three", claimsOf("3"), future);
    expect(remembered.size).toBe(2);
    expect(remembered.get("one")).toBeUndefined();
    expect(remembered.get("three")).toEqual(claimsOf("3"));
  });
});
