import argon2 from "argon2";
import { afterEach, describe, expect, it, vi } from "vitest";

import { PARAMETERS, hashPassword, verifyPassword } from "../../src/auth/passwords.js";

describe("password hashing", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("uses RFC 9106's Argon2id profile in the service", async () => {
    // The tests hash with the cheapest parameters (setup.ts); the service keeps these.
    const stored = await argon2.hash("s3cret-passphrase", PARAMETERS);
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=65536,p=4,t=3\$/);
  });

  it("matches only the right password", async () => {
    const stored = await hashPassword("s3cret-passphrase");
    expect(stored).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(stored, "s3cret-passphrase")).toBe(true);
    expect(await verifyPassword(stored, "s3cret-passphrasE")).toBe(false);
    expect(await verifyPassword("not an argon2 hash", "s3cret-passphrase")).toBe(false);
  });

  it("hashes once for a missing hash and never matches", async () => {
    // An unknown email costs the work of a real check, so timing does not reveal accounts.
    const hash = vi.spyOn(argon2, "hash");
    expect(await verifyPassword(null, "s3cret-passphrase")).toBe(false);
    expect(hash).toHaveBeenCalledTimes(1);
    expect(hash.mock.calls[0]?.[0]).toBe("s3cret-passphrase");
  });
});
