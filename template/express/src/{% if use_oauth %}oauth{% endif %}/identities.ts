// Identities: an account at a provider, `(provider, subject)`, linked to one user, and the
// rules that decide which user a provider's sign-in is. An email links an existing account
// only when the provider vouches for it (`email_verified: true`): otherwise whoever can
// open an account at the provider with someone's address would take over their account.
import { randomUUID } from "node:crypto";

import { now } from "../core/timestamps.js";
import type { Db } from "../database/engine.js";
import { violatesUnique } from "../database/errors.js";
import { withTransaction } from "../database/transaction.js";
import { toUser, USER_COLUMNS } from "../database/users.js";
import type { User } from "../users/users.repository.js";
import { IdentityNotLinkedError, LastSignInMethodError, SignInRefused } from "./errors.js";

const MAX_NAME = 100;
// Two first sign-ins of one identity at once: the loser's insert fails, then it finds the winner's user.
const ATTEMPTS = 3;
const IDENTITY_KEY = "identities_pkey";
const EMAIL_KEY = "users_email_key";

/** What the ID token says about the person signing in. */
export interface ProviderAccount {
  provider: string;
  subject: string;
  email: string | undefined;
  emailVerified: boolean;
  name: string | undefined;
}

async function userOfIdentity(db: Db, provider: string, subject: string): Promise<User | undefined> {
  const row = await db
    .selectFrom("identities")
    .innerJoin("users", "users.id", "identities.user_id")
    .select(USER_COLUMNS.map((column) => `users.${column}` as const))
    .where("identities.provider", "=", provider)
    .where("identities.subject", "=", subject)
    .executeTakeFirst();
  return row && toUser(row);
}

async function link(db: Db, account: ProviderAccount, userId: string, email: string): Promise<void> {
  await db
    .insertInto("identities")
    .values({ provider: account.provider, subject: account.subject, user_id: userId, email, created_at: now() })
    .execute();
}

/** The name from the token (trimmed, 1-100 characters), else the part of the email before the @. */
export function displayName(name: string | undefined, email: string): string {
  const trimmed = name?.trim() ?? "";
  if (trimmed.length >= 1 && trimmed.length <= MAX_NAME) return trimmed;
  return email.slice(0, email.indexOf("@")).slice(0, MAX_NAME) || email.slice(0, MAX_NAME);
}

async function resolveOnce(db: Db, account: ProviderAccount): Promise<User> {
  const linked = await userOfIdentity(db, account.provider, account.subject);
  if (linked) return linked;
  const email = account.email?.trim().toLowerCase();
  if (!email) throw new SignInRefused("email_required", "the ID token carries no email");
  return withTransaction(db, async (trx) => {
    const existing = await trx.selectFrom("users").select(USER_COLUMNS).where("email", "=", email).executeTakeFirst();
    if (existing) {
      if (!account.emailVerified) {
        throw new SignInRefused("email_not_verified", "an account has this email and the provider does not verify it");
      }
      await link(trx, account, existing.id, email);
      return toUser(existing);
    }
    const user: User = {
      id: randomUUID(),
      email,
      name: displayName(account.name, email),
      role: "user",
      createdAt: now(),
    };
    // No password: this account signs in through its identities until it sets one.
    await trx
      .insertInto("users")
      .values({ ...toRow(user), password_hash: null })
      .execute();
    await link(trx, account, user.id, email);
    return user;
  });
}

function toRow(user: User) {
  return { id: user.id, email: user.email, name: user.name, role: user.role, created_at: user.createdAt };
}

/** The user this provider account signs in as: linked, linked now, or created. */
export async function resolveUser(db: Db, account: ProviderAccount): Promise<User> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await resolveOnce(db, account);
    } catch (err) {
      const raced = violatesUnique(err, IDENTITY_KEY) || violatesUnique(err, EMAIL_KEY);
      if (!raced || attempt >= ATTEMPTS) throw err;
    }
  }
}

/** The providers `userId` is linked to, sorted. */
export async function providersOf(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("identities")
    .select("provider")
    .distinct()
    .where("user_id", "=", userId)
    .orderBy("provider")
    .execute();
  return rows.map((row) => row.provider);
}

/** Unlink `provider` from `userId`: 404 when not linked, 409 when it is the last way to sign in. */
export async function unlink(db: Db, userId: string, provider: string): Promise<void> {
  await withTransaction(db, async (trx) => {
    // The user's row lock makes two unlinks of the same account take turns, so that
    // they cannot each leave the other as the last way in and both succeed.
    const user = await trx
      .selectFrom("users")
      .select("password_hash")
      .where("id", "=", userId)
      .forUpdate()
      .executeTakeFirst();
    const identities = await trx.selectFrom("identities").select("provider").where("user_id", "=", userId).execute();
    const others = identities.filter((identity) => identity.provider !== provider).length;
    if (others === identities.length) throw new IdentityNotLinkedError();
    if (others === 0 && (user?.password_hash ?? null) === null) throw new LastSignInMethodError();
    await trx.deleteFrom("identities").where("user_id", "=", userId).where("provider", "=", provider).execute();
  });
}
