// Login codes: what the callback gives the front end (in the URL fragment) in place of
// tokens, which it exchanges once, within 60 s, for the token pair. Kept only as SHA-256.
import { digest } from "../auth/tokens.js";
import type { Db } from "../database/engine.js";
import { randomToken, sweep } from "./states.js";

export const CODE_TTL_SECONDS = 60;

export interface LoginCodeStore {
  /** A new code for `userId`, valid for CODE_TTL_SECONDS. */
  issue(userId: string): Promise<string>;
  /** The user of `code`, which stops working; undefined when unknown, used or expired. */
  take(code: string): Promise<string | undefined>;
}

/** In PostgreSQL (table login_codes); each write also deletes up to SWEEP_LIMIT expired rows. */
export class PostgresLoginCodes implements LoginCodeStore {
  constructor(private readonly db: Db) {}

  async issue(userId: string): Promise<string> {
    const code = randomToken();
    await sweep(this.db, "login_codes");
    await this.db
      .insertInto("login_codes")
      .values({
        code_hash: digest(code),
        user_id: userId,
        expires_at: new Date(Date.now() + CODE_TTL_SECONDS * 1000),
      })
      .execute();
    return code;
  }

  async take(code: string): Promise<string | undefined> {
    const row = await this.db
      .deleteFrom("login_codes")
      .where("code_hash", "=", digest(code))
      .returning(["user_id", "expires_at"])
      .executeTakeFirst();
    if (!row || new Date(row.expires_at).getTime() <= Date.now()) return undefined;
    return row.user_id;
  }
}
