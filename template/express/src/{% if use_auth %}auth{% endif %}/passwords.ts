// Password hashing with Argon2id. The argon2 package hashes on libuv's thread
// pool, so the deliberately slow work never blocks the event loop.
import argon2 from "argon2";

// Verified when the email is unknown, so that answer costs as much as a wrong password.
let dummyHash: Promise<string> | undefined;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

/** True when `password` matches; a missing hash costs the same work and is false. */
export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  dummyHash ??= hashPassword("no account has this password");
  try {
    const matches = await argon2.verify(passwordHash ?? (await dummyHash), password);
    return matches && passwordHash != null;
  } catch {
    // A malformed stored hash is a failed sign-in, not a 500.
    return false;
  }
}
