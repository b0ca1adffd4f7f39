// The state of each sign-in at a provider, from the authorize redirect to the callback:
// what the callback needs (the PKCE verifier, the nonce, where to send the browser), kept
// under the SHA-256 of the state for 10 minutes and given out once. The state itself
// travels only through the browser.
import { randomBytes } from "node:crypto";

import { sql } from "kysely";

import { digest } from "../auth/tokens.js";
import type { Db } from "../database/engine.js";

export const STATE_TTL_SECONDS = 600;
/** Expired rows deleted by each write at most: the clean-up never grows with the backlog. */
export const SWEEP_LIMIT = 100;

export interface StateRecord {
  provider: string;
  verifier: string;
  nonce: string;
  redirectTo: string;
}

export interface StateStore {
  /** Keep `record` under `state` for STATE_TTL_SECONDS. */
  put(state: string, record: StateRecord): Promise<void>;
  /** The record of `state`, removed in the same step; undefined when unknown, used or expired. */
  take(state: string): Promise<StateRecord | undefined>;
}

/** 32 random bytes, base64url (43 characters): the state, the nonce and the PKCE verifier. */
export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

/** In PostgreSQL (table oauth_states); each write also deletes up to SWEEP_LIMIT expired rows. */
export class PostgresStateStore implements StateStore {
  constructor(private readonly db: Db) {}

  async put(state: string, record: StateRecord): Promise<void> {
    await sweep(this.db, "oauth_states");
    await this.db
      .insertInto("oauth_states")
      .values({
        state_hash: digest(state),
        provider: record.provider,
        verifier: record.verifier,
        nonce: record.nonce,
        redirect_to: record.redirectTo,
        expires_at: new Date(Date.now() + STATE_TTL_SECONDS * 1000),
      })
      .execute();
  }

  async take(state: string): Promise<StateRecord | undefined> {
    // One statement: of two callbacks with one state, only one gets the row.
    const row = await this.db
      .deleteFrom("oauth_states")
      .where("state_hash", "=", digest(state))
      .returning(["provider", "verifier", "nonce", "redirect_to", "expires_at"])
      .executeTakeFirst();
    if (!row || new Date(row.expires_at).getTime() <= Date.now()) return undefined;
    return { provider: row.provider, verifier: row.verifier, nonce: row.nonce, redirectTo: row.redirect_to };
  }
}

/** Delete up to SWEEP_LIMIT expired rows of `table` (oauth_states or login_codes). */
export async function sweep(db: Db, table: "oauth_states" | "login_codes"): Promise<void> {
  await sql`DELETE FROM ${sql.table(table)} WHERE ctid IN (
    SELECT ctid FROM ${sql.table(table)} WHERE expires_at < now() LIMIT ${SWEEP_LIMIT}
  )`.execute(db);
}
