// Password hashing with Argon2id. The argon2 package hashes on libuv's thread
// pool, so the deliberately slow work never blocks the event loop.
import argon2, { type HashOptions } from "argon2";

export const ARGON2_PROFILES = ["rfc9106", "owasp"] as const;

export type Argon2Profile = (typeof ARGON2_PROFILES)[number];

export const DEFAULT_PROFILE: Argon2Profile = "rfc9106";

/**
 * The Argon2id profiles ARGON2_PROFILE names. rfc9106 (the default): RFC 9106's second
 * recommended profile, 3 passes over 64 MiB with 4 lanes. owasp: OWASP's minimum for
 * Argon2id, 2 passes over 19 MiB with 1 lane, for small containers: each sign-in in flight
 * holds a third of the memory and takes a sixth of the CPU.
 */
export const PROFILES: Readonly<Record<Argon2Profile, Readonly<HashOptions>>> = Object.freeze({
  rfc9106: Object.freeze({ type: argon2.argon2id, timeCost: 3, memoryCost: 65_536, parallelism: 4 }),
  owasp: Object.freeze({ type: argon2.argon2id, timeCost: 2, memoryCost: 19_456, parallelism: 1 }),
});

/**
 * What new hashes are made with. One per process: the auth task's lifespan picks the
 * service's ARGON2_PROFILE; the project's tests swap in the cheapest parameters
 * (test/auth/setup.ts). A stored hash names its own parameters, so hashes made with
 * another profile still verify.
 */
export const hashing = {
  profiles: { ...PROFILES } as Record<Argon2Profile, Readonly<HashOptions>>,
  parameters: PROFILES[DEFAULT_PROFILE],
  use(profile: Argon2Profile): void {
    this.parameters = this.profiles[profile];
  },
};

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
