// What the oauth tests share: a provider that is never reached (nothing listens on port 9;
// these tests need no provider: the template's contract suite signs in at a real one), and
// the records a sign-in leaves, made directly in the service's stores.
import type { TestApp } from "../helpers/app.js";

export const FRONT_END = "https://app.example/signed-in";

export const PROVIDER_ENV = {
  OIDC_PROVIDERS: "test",
  OIDC_TEST_ISSUER: "http://127.0.0.1:9",
  OIDC_TEST_CLIENT_ID: "service",
  OIDC_TEST_CLIENT_SECRET: "a-client-secret",
  OIDC_ALLOW_HTTP_ISSUER: "true",
  OAUTH_REDIRECT_ALLOWLIST: FRONT_END,
};

/** A state the service handed out for provider `test`, as authorize would have stored it. */
export async function startedSignIn(testApp: TestApp, provider = "test"): Promise<string> {
  const state = `state-${crypto.randomUUID()}`;
  await testApp.deps.oauth.states.put(state, {
    provider,
    verifier: "v".repeat(43),
    nonce: "n".repeat(43),
    redirectTo: FRONT_END,
  });
  return state;
}

/** The fragment of a 303 to the front end. */
export function fragmentOf(location: string | undefined): Record<string, string> {
  const [page, carried] = (location ?? "").split("#", 2);
  if (page !== FRONT_END) throw new Error(`not a redirect to the front end: ${location ?? "none"}`);
  return Object.fromEntries(new URLSearchParams(carried));
}
