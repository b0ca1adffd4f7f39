// Password hashing with Argon2id. The argon2 package hashes on libuv's thread
// pool, so the deliberately slow work never blocks the event loop.
import argon2, { type HashOptions } from "argon2";

/** RFC 9106's second recommended profile: Argon2id, 3 passes over 64 MiB, 4 lanes. */
export const PARAMETERS = Object.freeze({ type: argon2.argon2id, timeCost: 3, memoryCost: 65_536, parallelism: 4 });

/**
 * What new hashes are made with. The project's tests swap in the cheapest parameters
 * (test/auth/setup.ts): they check what hashing does, not what it costs.
 */
export const hashing: { parameters: Readonly<HashOptions> } = { parameters: PARAMETERS };

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, hashing.parameters);
}

/**
 * True when `password` matches `passwordHash`. Without a hash (no such account) the
 * password is hashed instead, which costs as much as verifying it: the answer does not
 * tell by its timing whether the email exists.
 */
export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (passwordHash == null) {
    await hashPassword(password);
    return false;
  }
  try {
    return await argon2.verify(passwordHash, password);
  } catch {
    // A malformed stored hash is a failed sign-in, not a 500.
    return false;
  }
}
