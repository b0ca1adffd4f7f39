// The users repository over PostgreSQL: one parameterised statement per call.
import type pg from "pg";

import type { Cursor } from "../core/pagination.js";
import { EmailTakenError } from "../users/users.errors.js";
import type { Role, User, UserRepository } from "../users/users.repository.js";
import { violatesUnique } from "./errors.js";

const EMAIL_KEY = "users_email_key";

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: string;
  created_at: Date;
}

function toUser(row: UserRow): User {
  const role: Role = row.role === "admin" ? "admin" : "user";
  return { id: row.id, email: row.email, name: row.name, role, createdAt: row.created_at };
}

export class PostgresUserRepository implements UserRepository {
  /** `pool` may be a transaction's client. */
  constructor(private readonly pool: Pick<pg.Pool, "query">) {}

  async add(user: User, passwordHash?: string): Promise<void> {
    // One statement: with auth, an account never exists without its password hash.
    const columns = passwordHash === undefined ? "" : ", password_hash";
    const values = passwordHash === undefined ? [] : [passwordHash];
    try {
      await this.pool.query(
        `INSERT INTO users (id, email, name, role, created_at${columns}) VALUES ($1, $2, $3, $4, $5${values.length ? ", $6" : ""})`,
        [user.id, user.email, user.name, user.role, user.createdAt, ...values],
      );
    } catch (err) {
      if (violatesUnique(err, EMAIL_KEY)) throw new EmailTakenError();
      throw err;
    }
  }

  async get(id: string): Promise<User | undefined> {
    const result = await this.pool.query<UserRow>("SELECT id, email, name, role, created_at FROM users WHERE id = $1", [
      id,
    ]);
    const row = result.rows[0];
    return row && toUser(row);
  }

  async listAfter(after: Cursor | undefined, limit: number): Promise<User[]> {
    // A row comparison, which the (created_at DESC, id DESC) index answers.
    const result = await this.pool.query<UserRow>(
      `SELECT id, email, name, role, created_at FROM users
       WHERE $1::timestamptz IS NULL OR (created_at, id) < ($1::timestamptz, $2::uuid)
       ORDER BY created_at DESC, id DESC
       LIMIT $3`,
      [after?.createdAt ?? null, after?.id ?? null, limit],
    );
    return result.rows.map(toUser);
  }

  async delete(id: string): Promise<boolean> {
    // The posts go with the user: ON DELETE CASCADE on posts.author_id.
    const result = await this.pool.query("DELETE FROM users WHERE id = $1", [id]);
    return result.rowCount === 1;
  }
}
