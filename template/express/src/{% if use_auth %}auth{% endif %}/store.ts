// What auth reads and writes in PostgreSQL: password hashes, roles and refresh tokens.
import { randomUUID } from "node:crypto";

import type { Transaction } from "kysely";

import type { Db } from "../database/engine.js";
import type { Database } from "../database/models.js";
import { toUser, USER_COLUMNS } from "../database/users.js";
import type { Role, User } from "../users/users.repository.js";

export interface StoredRefreshToken {
  familyId: string;
  userId: string;
  revoked: boolean;
  expiresAt: Date;
}

export interface NewRefreshToken {
  tokenHash: string;
  familyId: string;
  userId: string;
  expiresAt: Date;
  createdAt: Date;
}

export async function findByEmail(db: Db, email: string): Promise<[User, string | null] | undefined> {
  const row = await db
    .selectFrom("users")
    .select([...USER_COLUMNS, "password_hash"])
    .where("email", "=", email)
    .executeTakeFirst();
  return row && [toUser(row), row.password_hash];
}

export async function getAccount(db: Db, id: string): Promise<User | undefined> {
  const row = await db.selectFrom("users").select(USER_COLUMNS).where("id", "=", id).executeTakeFirst();
  return row && toUser(row);
}

/** Change the given fields; the others keep their values. */
export async function updateAccount(
  db: Db,
  id: string,
  changes: { name?: string | undefined; passwordHash?: string | undefined; role?: Role | undefined },
): Promise<void> {
  const values = {
    ...(changes.name === undefined ? {} : { name: changes.name }),
    ...(changes.passwordHash === undefined ? {} : { password_hash: changes.passwordHash }),
    ...(changes.role === undefined ? {} : { role: changes.role }),
  };
  if (Object.keys(values).length === 0) return;
  await db.updateTable("users").set(values).where("id", "=", id).execute();
}

export async function addRefreshToken(db: Db, token: NewRefreshToken): Promise<void> {
  await db
    .insertInto("refresh_tokens")
    .values({
      id: randomUUID(),
      family_id: token.familyId,
      user_id: token.userId,
      token_hash: token.tokenHash,
      revoked: false,
      expires_at: token.expiresAt,
      created_at: token.createdAt,
    })
    .execute();
}

/**
 * The token, locked until the transaction ends; its revoked flag is now set. The
 * row lock makes two concurrent refreshes with one token take turns: the second
 * sees the token revoked, exactly like a replayed stolen copy.
 */
export async function claimRefreshToken(
  trx: Transaction<Database>,
  tokenHash: string,
): Promise<StoredRefreshToken | undefined> {
  const row = await trx
    .selectFrom("refresh_tokens")
    .select(["family_id", "user_id", "revoked", "expires_at"])
    .where("token_hash", "=", tokenHash)
    .forUpdate()
    .executeTakeFirst();
  if (!row) return undefined;
  await trx.updateTable("refresh_tokens").set({ revoked: true }).where("token_hash", "=", tokenHash).execute();
  return {
    familyId: row.family_id,
    userId: row.user_id,
    revoked: row.revoked,
    expiresAt: new Date(row.expires_at),
  };
}

export async function revokeFamily(db: Db, familyId: string): Promise<void> {
  await db.updateTable("refresh_tokens").set({ revoked: true }).where("family_id", "=", familyId).execute();
}
