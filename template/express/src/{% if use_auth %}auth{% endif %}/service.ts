// Use cases of auth: sign in, refresh, sign out, change one's own account.
import { randomUUID } from "node:crypto";

import type { Db } from "../database/engine.js";
import { withTransaction } from "../database/transaction.js";
import type { User } from "../users/users.repository.js";
import type { AttemptCounter } from "./attempts.js";
import { InvalidCredentialsError, InvalidRefreshTokenError, TooManyAttemptsError } from "./errors.js";
import { hashPassword, verifyPassword } from "./passwords.js";
import type { AccountUpdate, TokenPair } from "./schemas.js";
import * as store from "./store.js";
import { digest, issueAccessToken, newRefreshToken, type TokenKeys } from "./tokens.js";

export interface AuthServices {
  db: Db;
  keys: TokenKeys;
  attempts: AttemptCounter;
}

/** A new token pair (a new family); the same 401 for an unknown email and a wrong password. */
export async function signIn(auth: AuthServices, email: string, password: string, client: string): Promise<TokenPair> {
  const address = email.trim().toLowerCase();
  const key = `${address}|${client}`;
  const wait = await auth.attempts.blockedFor(key);
  if (wait > 0) throw new TooManyAttemptsError(wait);
  const found = await store.findByEmail(auth.db, address);
  // Verified even when the user is unknown (against a dummy hash): the same work and
  // the same answer, so the response time does not tell which emails have accounts.
  if (!(await verifyPassword(found?.[1], password)) || !found) {
    await auth.attempts.fail(key);
    throw new InvalidCredentialsError();
  }
  await auth.attempts.reset(key);
  return startSession(auth, found[0]);
}

/** A new session of `user` (a new token family): its first token pair. */
export function startSession(auth: AuthServices, user: User): Promise<TokenPair> {
  return withTransaction(auth.db, (trx) => issue(trx, auth.keys, user, randomUUID()));
}

/** Replace the refresh token with a new pair; a replayed one revokes its family. */
export async function refresh(auth: AuthServices, refreshToken: string): Promise<TokenPair> {
  const outcome = await withTransaction(auth.db, async (trx) => {
    const found = await store.claimRefreshToken(trx, digest(refreshToken));
    if (!found) return undefined;
    if (found.revoked) {
      // Returned, not thrown: the revocation must be committed before the 401.
      await store.revokeFamily(trx, found.familyId);
      return undefined;
    }
    if (found.expiresAt <= new Date()) throw new InvalidRefreshTokenError();
    const user = await store.getAccount(trx, found.userId);
    if (!user) throw new InvalidRefreshTokenError();
    return issue(trx, auth.keys, user, found.familyId);
  });
  if (!outcome) throw new InvalidRefreshTokenError();
  return outcome;
}

/** Revoke the token's whole family; an unknown token is already signed out. */
export async function signOut(auth: AuthServices, refreshToken: string): Promise<void> {
  await withTransaction(auth.db, async (trx) => {
    const found = await store.claimRefreshToken(trx, digest(refreshToken));
    if (found) await store.revokeFamily(trx, found.familyId);
  });
}

export async function updateAccount(auth: AuthServices, user: User, data: AccountUpdate): Promise<User> {
  const passwordHash = data.password === undefined ? undefined : await hashPassword(data.password);
  await store.updateAccount(auth.db, user.id, { name: data.name, passwordHash });
  return (await store.getAccount(auth.db, user.id)) ?? user;
}

async function issue(db: Db, keys: TokenKeys, user: User, familyId: string): Promise<TokenPair> {
  const { config } = keys;
  const refreshToken = newRefreshToken();
  const now = new Date();
  await store.addRefreshToken(db, {
    tokenHash: digest(refreshToken),
    familyId,
    userId: user.id,
    expiresAt: new Date(now.getTime() + config.refreshTokenTtlSeconds * 1000),
    createdAt: now,
  });
  return {
    access_token: await issueAccessToken(keys, user.id, user.role),
    refresh_token: refreshToken,
    token_type: "Bearer",
    expires_in: config.accessTokenTtlSeconds,
  };
}
