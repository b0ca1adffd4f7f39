// `create-admin`: create the first administrator, or promote an existing account.
import { randomUUID } from "node:crypto";

import { now } from "../core/timestamps.js";
import type { Db } from "../database/engine.js";
import { withTransaction } from "../database/transaction.js";
import { PostgresUserRepository } from "../database/users.js";
import { NO_USER_CACHE, type UserCache } from "../users/users.cache.js";
import { UserCreate } from "../users/users.schemas.js";
import { hashPassword } from "./passwords.js";
import { findByEmail, updateAccount } from "./store.js";

/** The email or password cannot be used; the message says why. */
export class AdminError extends Error {
  override readonly name = "AdminError";
}

/**
 * Promote the account with this email (its password unchanged), or create it.
 * A promoted account's cached record is dropped, so the new role applies at once.
 */
export async function createAdmin(
  db: Db,
  email: string,
  password: string,
  users: UserCache = NO_USER_CACHE,
): Promise<"created" | "promoted"> {
  const checked = UserCreate.safeParse({ email, name: "Administrator", password });
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const field = issue?.path[0] === "password" ? "ADMIN_PASSWORD" : "email";
    throw new AdminError(`${field}: ${issue?.message ?? "is invalid"}`);
  }
  const data = checked.data;
  const passwordHash = await hashPassword(data.password);
  const promoted = await withTransaction(db, async (trx) => {
    const found = await findByEmail(trx, data.email);
    if (found) {
      await updateAccount(trx, found[0].id, { role: "admin" });
      await users.forget(found[0].id);
      return found[0].id;
    }
    const user = {
      id: randomUUID(),
      email: data.email,
      name: data.name,
      role: "admin" as const,
      createdAt: now(),
    };
    await new PostgresUserRepository(trx).add(user, passwordHash);
    return undefined;
  });
  if (promoted === undefined) return "created";
  // Again once committed: a request in between may have cached the old role.
  await users.forget(promoted);
  return "promoted";
}
