import argon2 from "argon2";
import { afterEach, describe, expect, it, vi } from "vitest";

import { PROFILES, hashPassword, hashing, verifyPassword } from "../../src/auth/passwords.js";
import { startTestApp } from "../helpers/app.js";

const PROFILE_PREFIXES = {
  rfc9106: /^\$argon2id\$v=19\$m=65536,p=4,t=3\$/,
  owasp: /^\$argon2id\$v=19\$m=19456,p=1,t=2\$/,
} as const;

describe("password hashing", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  for (const [profile, prefix] of Object.entries(PROFILE_PREFIXES)) {
    it(`makes new hashes with the parameters ARGON2_PROFILE=${profile} names`, async () => {
      // The tests hash with the cheapest parameters (setup.ts); the service has these.
      const cheap = { profiles: hashing.profiles, parameters: hashing.parameters };
      hashing.profiles = { ...PROFILES };
      const service = await startTestApp({ env: { ARGON2_PROFILE: profile } });
      try {
        const stored = await hashPassword("s3cret-passphrase");
        expect(stored).toMatch(prefix);
        expect(await verifyPassword(stored, "s3cret-passphrase")).toBe(true);
      } finally {
        await service.close();
        Object.assign(hashing, cheap);
      }
    });
  }

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
