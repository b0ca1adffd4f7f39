import { describe, expect, it } from "vitest";

import { loadConfig } from "../../src/settings.js";
import { validEnv } from "../helpers/app.js";
import { PROVIDER_ENV } from "./oauth.js";

describe("OpenID Connect settings", () => {
  it("has no provider and no allowed redirect unless told", () => {
    const config = loadConfig(validEnv());
    expect(config.oidc).toEqual([]);
    expect(config.oauthRedirectAllowlist).toEqual([]);
    expect(config.oidcAllowHttpIssuer).toBe(false);
  });

  it("reads each provider OIDC_PROVIDERS names from its own variables, with the default scopes", () => {
    const config = loadConfig({ ...validEnv(), ...PROVIDER_ENV });
    expect(config.oidc).toEqual([
      {
        name: "test",
        issuer: new URL("http://127.0.0.1:9/"),
        clientId: "service",
        clientSecret: "a-client-secret",
        scopes: "openid email profile",
      },
    ]);
    expect(config.oauthRedirectAllowlist).toEqual(["https://app.example/signed-in"]);
  });

  it("names every missing variable of a provider", () => {
    const attempt = () => loadConfig({ ...validEnv(), OIDC_PROVIDERS: "google, microsoft" });
    for (const name of ["GOOGLE", "MICROSOFT"]) {
      for (const suffix of ["ISSUER", "CLIENT_ID", "CLIENT_SECRET"]) {
        expect(attempt).toThrow(new RegExp(`OIDC_${name}_${suffix}: is required`));
      }
    }
  });

  it("refuses a provider name that cannot be a variable name or a path segment", () => {
    for (const names of ["Google", "my-idp", "a,a", "9lives"]) {
      expect(() => loadConfig({ ...validEnv(), OIDC_PROVIDERS: names })).toThrow(/OIDC_PROVIDERS: /);
    }
  });

  it("refuses an http:// issuer unless OIDC_ALLOW_HTTP_ISSUER allows it, and says which variable does", () => {
    const env = { ...validEnv(), ...PROVIDER_ENV, OIDC_ALLOW_HTTP_ISSUER: "false" };
    expect(() => loadConfig(env)).toThrow(/OIDC_TEST_ISSUER: must be an https:\/\/ URL \(OIDC_ALLOW_HTTP_ISSUER/);
    expect(() => loadConfig({ ...env, OIDC_TEST_ISSUER: "not a url" })).toThrow(/OIDC_TEST_ISSUER: /);
    expect(loadConfig({ ...env, OIDC_TEST_ISSUER: "https://accounts.example" }).oidc[0]?.issuer.href).toBe(
      "https://accounts.example/",
    );
  });

  it("refuses scopes without openid and redirect URLs that are not http(s)", () => {
    const env = { ...validEnv(), ...PROVIDER_ENV };
    expect(() => loadConfig({ ...env, OIDC_TEST_SCOPES: "email profile" })).toThrow(
      /OIDC_TEST_SCOPES: must include openid/,
    );
    expect(() => loadConfig({ ...env, OAUTH_REDIRECT_ALLOWLIST: "javascript:alert(1)" })).toThrow(
      /OAUTH_REDIRECT_ALLOWLIST/,
    );
  });

  it("never puts a client secret in its messages", () => {
    const env = { ...validEnv(), ...PROVIDER_ENV, OIDC_TEST_ISSUER: "ftp://x", JWT_SECRET: "short" };
    expect(() => loadConfig(env)).toThrow(/JWT_SECRET/);
    expect(() => loadConfig(env)).not.toThrow(/a-client-secret/);
  });
});
