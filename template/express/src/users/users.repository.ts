// What the users feature needs from storage, whatever the storage is: memory
// (src/memory.ts) without the database task, PostgreSQL (src/database/) with it.
// createApp picks the implementation, so nothing else changes when storage does.
import type { Cursor } from "../core/pagination.js";
import type { Timestamp } from "../core/timestamps.js";

export type Role = "user" | "admin";

export interface User {
  id: string;
  /** Trimmed and lower-cased before it gets here: one spelling per address. */
  email: string;
  name: string;
  role: Role;
  createdAt: Timestamp;
}

export interface UserRepository {
  /**
   * Store a new user; rejects with EmailTakenError when the email is already used.
   * `passwordHash` is given only with the auth task, whose storage is PostgreSQL.
   */
  add(user: User, passwordHash?: string): Promise<void>;
  get(id: string): Promise<User | undefined>;
  /** Up to `limit` users newest first, strictly after `after` when given. */
  listAfter(after: Cursor | undefined, limit: number): Promise<User[]>;
  /** Remove the user and their posts; false when there was no such user. */
  delete(id: string): Promise<boolean>;
}
