// Which providers are served, and the ID token algorithm each is held to.
import { describe, expect, it } from "vitest";

import { ProviderUnavailableError, UnknownProviderError } from "../../src/oauth/errors.js";
import { pinnedAlgorithm, Providers } from "../../src/oauth/providers.js";

const TEST = {
  name: "test",
  issuer: new URL("http://127.0.0.1:9/"),
  clientId: "service",
  clientSecret: "a-client-secret",
  scopes: "openid email profile",
};

describe("the ID token algorithm", () => {
  it("is one the provider announces, asymmetric: never none, never HMAC", () => {
    expect(pinnedAlgorithm(["none", "HS256", "RS256"])).toBe("RS256");
    expect(pinnedAlgorithm(["ES256", "RS256"])).toBe("RS256");
    expect(pinnedAlgorithm(["EdDSA"])).toBe("EdDSA");
    expect(pinnedAlgorithm(["none", "HS256", "HS512"])).toBeUndefined();
  });

  it("is RS256 when discovery announces none, as OpenID Connect Discovery says", () => {
    expect(pinnedAlgorithm(undefined)).toBe("RS256");
  });
});

describe("the providers", () => {
  it("know only the names OIDC_PROVIDERS gives", async () => {
    const providers = new Providers([TEST], true);
    expect(providers.settingsOf("test")).toBe(TEST);
    expect(() => providers.settingsOf("nobody")).toThrow(UnknownProviderError);
    await expect(providers.get("nobody")).rejects.toThrow(UnknownProviderError);
  });

  it("say which provider failed when its discovery does", async () => {
    const providers = new Providers([TEST], true);
    const failed = await providers.get("test").catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(ProviderUnavailableError);
    expect((failed as Error).message).toContain("test");
  });
});
