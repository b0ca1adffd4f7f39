import { describe, expect, it } from "vitest";

import { ConfigError, loadConfig } from "../../src/settings.js";
import { validEnv } from "../helpers/app.js";

describe("JWT settings", () => {
  it("refuses to start without JWT_SECRET and names it", () => {
    const env: Record<string, string> = { ...validEnv() };
    delete env.JWT_SECRET;
    expect(() => loadConfig(env)).toThrow(/JWT_SECRET: is required/);
  });

  it("refuses a JWT_SECRET shorter than 32 bytes", () => {
    const attempt = () => loadConfig({ ...validEnv(), JWT_SECRET: "k7Qm2vX9pL4rT8wZ" });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/JWT_SECRET: must be at least 32 bytes/);
  });

  it("refuses placeholder JWT_SECRET values", () => {
    const placeholders = [
      "change-me",
      "changeme",
      "secret",
      "change-me-to-a-long-random-value-of-48-characters",
      "CHANGEME_CHANGEME_CHANGEME_CHANGEME",
    ];
    for (const secret of placeholders) {
      expect(() => loadConfig({ ...validEnv(), JWT_SECRET: secret })).toThrow(/JWT_SECRET: .*placeholder/);
    }
  });

  it("refuses an unknown ARGON2_PROFILE and names the choices", () => {
    expect(() => loadConfig({ ...validEnv(), ARGON2_PROFILE: "fast" })).toThrow(/ARGON2_PROFILE: .*"rfc9106"\|"owasp"/);
  });

  it("accepts a long random secret and applies the token defaults", () => {
    const config = loadConfig(validEnv());
    expect(config).toMatchObject({
      jwtAlgorithm: "HS256",
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 1_209_600,
      argon2Profile: "rfc9106",
    });
    expect(config.jwtIssuer).toBe(config.jwtAudience);
  });
});
