// What auth reads and writes in PostgreSQL: password hashes, roles and refresh tokens.
import { randomUUID } from "node:crypto";

import type pg from "pg";

import type { Role, User } from "../users/users.repository.js";

interface AccountRow {
  id: string;
  email: string;
  name: string;
  role: string;
  created_at: Date;
  password_hash: string | null;
}

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

/** pg.Pool and pg.PoolClient alike: a store call runs in a transaction when given a client. */
export type Queryable = Pick<pg.Pool, "query">;

const ACCOUNT = "SELECT id, email, name, role, created_at, password_hash FROM users";

function toUser(row: AccountRow): User {
  const role: Role = row.role === "admin" ? "admin" : "user";
  return { id: row.id, email: row.email, name: row.name, role, createdAt: row.created_at };
}

export async function findByEmail(db: Queryable, email: string): Promise<[User, string | null] | undefined> {
  const { rows } = await db.query<AccountRow>(`${ACCOUNT} WHERE email = $1`, [email]);
  const row = rows[0];
  return row && [toUser(row), row.password_hash];
}

export async function getAccount(db: Queryable, id: string): Promise<User | undefined> {
  const { rows } = await db.query<AccountRow>(`${ACCOUNT} WHERE id = $1`, [id]);
  const row = rows[0];
  return row && toUser(row);
}

/** Change the given fields; the others keep their values. */
export async function updateAccount(
  db: Queryable,
  id: string,
  changes: { name?: string | undefined; passwordHash?: string | undefined; role?: Role | undefined },
): Promise<void> {
  await db.query(
    `UPDATE users SET name = COALESCE($2, name), password_hash = COALESCE($3, password_hash),
       role = COALESCE($4, role) WHERE id = $1`,
    [id, changes.name ?? null, changes.passwordHash ?? null, changes.role ?? null],
  );
}

export async function addRefreshToken(db: Queryable, token: NewRefreshToken): Promise<void> {
  await db.query(
    `INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, revoked, expires_at, created_at)
     VALUES ($1, $2, $3, $4, false, $5, $6)`,
    [randomUUID(), token.familyId, token.userId, token.tokenHash, token.expiresAt, token.createdAt],
  );
}

/**
 * The token, locked until the transaction ends; its revoked flag is now set. The
 * row lock makes two concurrent refreshes with one token take turns: the second
 * sees the token revoked, exactly like a replayed stolen copy.
 */
export async function claimRefreshToken(
  client: pg.PoolClient,
  tokenHash: string,
): Promise<StoredRefreshToken | undefined> {
  const { rows } = await client.query<{ family_id: string; user_id: string; revoked: boolean; expires_at: Date }>(
    "SELECT family_id, user_id, revoked, expires_at FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE",
    [tokenHash],
  );
  const row = rows[0];
  if (!row) return undefined;
  await client.query("UPDATE refresh_tokens SET revoked = true WHERE token_hash = $1", [tokenHash]);
  return { familyId: row.family_id, userId: row.user_id, revoked: row.revoked, expiresAt: row.expires_at };
}

export async function revokeFamily(db: Queryable, familyId: string): Promise<void> {
  await db.query("UPDATE refresh_tokens SET revoked = true WHERE family_id = $1", [familyId]);
}
