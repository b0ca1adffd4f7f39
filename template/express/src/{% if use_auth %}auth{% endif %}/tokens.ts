// Access tokens (signed JWTs) and refresh tokens (opaque random strings).
// A refresh token is not a JWT at all, so it can never pass as an access token;
// the server keeps only its SHA-256 digest (store.ts), useless to a database thief.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  randomBytes,
  randomUUID,
  webcrypto,
  type KeyObject,
} from "node:crypto";

import { jwtVerify, SignJWT } from "jose";

import type { Config } from "../settings.js";
import { uuidString } from "../core/validation.js";
import { InvalidTokenError } from "./errors.js";
import { VerifiedTokens } from "./verified.js";

const REQUIRED_CLAIMS = ["sub", "role", "iat", "exp", "iss", "aud", "jti"];

type Key = KeyObject | webcrypto.CryptoKey;

export interface AccessClaims {
  userId: string;
  role: string;
}

/**
 * An HMAC secret as a CryptoKey for one use. Imported once: handed the raw bytes,
 * jose would import them again for every token it signs or verifies.
 */
function importSecret(secret: string, algorithm: string, usage: "sign" | "verify"): Promise<webcrypto.CryptoKey> {
  const hmac = { name: "HMAC", hash: `SHA-${algorithm.slice(2)}` };
  return webcrypto.subtle.importKey("raw", new TextEncoder().encode(secret), hmac, false, [usage]);
}

/** The signing and verifying keys, prepared once at start-up. */
export class TokenKeys {
  /** Tokens verified with these keys: a new key starts with none. */
  readonly verified = new VerifiedTokens();

  private constructor(
    readonly config: Config,
    readonly signing: Promise<Key>,
    readonly verifying: Promise<Key>,
  ) {}

  static load(config: Config): TokenKeys {
    if (config.jwtAlgorithm.startsWith("HS")) {
      return new TokenKeys(
        config,
        importSecret(config.jwtSecret, config.jwtAlgorithm, "sign"),
        importSecret(config.jwtSecret, config.jwtAlgorithm, "verify"),
      );
    }
    // loadConfig has already checked that both PEM keys are present; jose keeps
    // the CryptoKey it derives from each KeyObject.
    return new TokenKeys(
      config,
      Promise.resolve(createPrivateKey(config.jwtPrivateKey ?? "")),
      Promise.resolve(createPublicKey(config.jwtPublicKey ?? "")),
    );
  }
}

export async function issueAccessToken(keys: TokenKeys, userId: string, role: string): Promise<string> {
  const { config } = keys;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role })
    .setProtectedHeader({ alg: config.jwtAlgorithm, typ: "JWT" })
    .setSubject(userId)
    .setIssuedAt(now)
    .setExpirationTime(now + config.accessTokenTtlSeconds)
    .setIssuer(config.jwtIssuer)
    .setAudience(config.jwtAudience)
    .setJti(randomUUID())
    .sign(await keys.signing);
}

/** The verified claims; InvalidTokenError for anything else, whatever the reason. */
export async function readAccessToken(keys: TokenKeys, token: string): Promise<AccessClaims> {
  const remembered = keys.verified.get(token);
  if (remembered) return remembered;
  const { config } = keys;
  try {
    const { payload } = await jwtVerify(token, await keys.verifying, {
      // Pinned: the token's own header never chooses the algorithm ("none", or
      // HS256 keyed with the public key, are refused here).
      algorithms: [config.jwtAlgorithm],
      issuer: config.jwtIssuer,
      audience: config.jwtAudience,
      requiredClaims: REQUIRED_CLAIMS,
    });
    const userId = uuidString.safeParse(payload.sub);
    if (!userId.success || typeof payload.role !== "string") throw new InvalidTokenError();
    const claims = { userId: userId.data, role: payload.role };
    // exp is required, so jose has checked it is a number.
    if (payload.nbf === undefined && payload.exp !== undefined) keys.verified.remember(token, claims, payload.exp);
    return claims;
  } catch {
    throw new InvalidTokenError();
  }
}

export function newRefreshToken(): string {
  return randomBytes(32).toString("base64url");
}

/** What the server stores: enough to find the token, not to present it. */
export function digest(refreshToken: string): string {
  return createHash("sha256").update(refreshToken, "utf8").digest("hex");
}
