// Use cases of signing in with a provider: send the browser there (authorize), take it
// back (callback), trade the login code for the token pair (exchange), and unlink.
import * as client from "openid-client";
import type { Logger } from "pino";

import type { AttemptCounter } from "../auth/attempts.js";
import { TooManyAttemptsError } from "../auth/errors.js";
import type { TokenPair } from "../auth/schemas.js";
import { startSession, type AuthServices } from "../auth/service.js";
import { getAccount } from "../auth/store.js";
import type { LoginCodeStore } from "./codes.js";
import { callbackUrl } from "./config.js";
import {
  InvalidLoginCodeError,
  InvalidStateError,
  RedirectNotAllowedError,
  SignInRefused,
  type FragmentError,
} from "./errors.js";
import { resolveUser, unlink, type ProviderAccount } from "./identities.js";
import { CLOCK_TOLERANCE_SECONDS, type Provider, type Providers } from "./providers.js";
import { randomToken, type StateStore } from "./states.js";

export interface OauthServices {
  auth: AuthServices;
  providers: Providers;
  states: StateStore;
  codes: LoginCodeStore;
  /** OAUTH_REDIRECT_ALLOWLIST: the only places a sign-in may end. */
  allowlist: ReadonlySet<string>;
  publicBaseUrl: string;
  logger: Logger;
}

/** Who is asking, for the attempt limit and the log. */
export interface Requester {
  client: string;
  requestId: string;
}

/**
 * Refused states (callback) and refused login codes (exchange) are counted per client address,
 * each on its own key beside /auth/token's per email; a success clears nothing, so failures
 * cannot be interleaved with sign-ins to keep guessing.
 */
type Guessed = "oauth-state" | "oauth-code";
const attemptKey = (guessed: Guessed, client: string): string => `${guessed}|${client}`;

async function checkAttempts(attempts: AttemptCounter, key: string): Promise<void> {
  const wait = await attempts.blockedFor(key);
  if (wait > 0) throw new TooManyAttemptsError(wait);
}

/** Where to send the browser: the provider's authorization endpoint, with state, nonce and PKCE. */
export async function authorize(services: OauthServices, name: string, redirectTo: string | undefined): Promise<URL> {
  const settings = services.providers.settingsOf(name);
  if (redirectTo === undefined || !services.allowlist.has(redirectTo)) throw new RedirectNotAllowedError();
  const provider = await services.providers.get(name);
  const [state, nonce, verifier] = [randomToken(), randomToken(), randomToken()];
  await services.states.put(state, { provider: name, verifier, nonce, redirectTo });
  return client.buildAuthorizationUrl(provider.config, {
    response_type: "code",
    redirect_uri: callbackUrl(services.publicBaseUrl, name),
    scope: settings.scopes,
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
  });
}

/**
 * The provider sent the browser back with `search` (the query string, `code` and `state`,
 * or `error`). A bad state is a 400; with a good one, where to send the browser: the
 * front end's URL with `#code=<login code>` or `#error=<code>`.
 */
export async function callback(services: OauthServices, name: string, search: string, who: Requester): Promise<string> {
  const { auth, logger } = services;
  const key = attemptKey("oauth-state", who.client);
  await checkAttempts(auth.attempts, key);
  services.providers.settingsOf(name);
  const parameters = new URLSearchParams(search);
  const state = parameters.get("state");
  const record = state ? await services.states.take(state) : undefined;
  if (!state || record?.provider !== name) {
    await auth.attempts.fail(key);
    logger.warn({ request_id: who.requestId, provider: name, reason: "invalid_oauth_state" }, "oauth sign-in refused");
    throw new InvalidStateError();
  }
  try {
    const declined = parameters.get("error");
    if (declined !== null) {
      const code = declined === "access_denied" ? "access_denied" : "provider_error";
      throw new SignInRefused(code, `the provider answered ${declined.slice(0, 64)}`);
    }
    const provider = await services.providers.get(name).catch((err: unknown) => {
      throw new SignInRefused("provider_error", describe(err));
    });
    const account = await signedInAccount(services, provider, parameters, state, record);
    const user = await resolveUser(auth.db, account);
    const code = await services.codes.issue(user.id);
    return `${record.redirectTo}#${new URLSearchParams({ code }).toString()}`;
  } catch (err) {
    if (!(err instanceof SignInRefused)) throw err;
    logger.warn(
      { request_id: who.requestId, provider: name, reason: err.code, detail: err.reason },
      "oauth sign-in refused",
    );
    return `${record.redirectTo}#${new URLSearchParams({ error: err.code }).toString()}`;
  }
}

/** The code traded at the token endpoint, and the ID token checked: who signed in. */
async function signedInAccount(
  services: OauthServices,
  provider: Provider,
  parameters: URLSearchParams,
  state: string,
  record: { verifier: string; nonce: string },
): Promise<ProviderAccount> {
  const current = new URL(callbackUrl(services.publicBaseUrl, provider.settings.name));
  current.search = parameters.toString();
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(provider.config, current, {
      pkceCodeVerifier: record.verifier,
      expectedState: state,
      expectedNonce: record.nonce,
      idTokenExpected: true,
    });
  } catch (err) {
    throw new SignInRefused(refusalOf(err), describe(err));
  }
  const claims = tokens.claims();
  if (!claims) throw new SignInRefused("invalid_id_token", "no ID token");
  // openid-client checks `exp` but not that `iat` is not in the future.
  if (claims.iat > Math.floor(Date.now() / 1000) + CLOCK_TOLERANCE_SECONDS) {
    throw new SignInRefused("invalid_id_token", "iat is in the future");
  }
  return {
    provider: provider.settings.name,
    subject: claims.sub,
    email: typeof claims.email === "string" ? claims.email : undefined,
    emailVerified: claims.email_verified === true,
    name: typeof claims.name === "string" ? claims.name : undefined,
  };
}

// What the provider's answer was, when openid-client refuses it: the transport and the
// token endpoint are the provider's failures, anything about the ID token is the token's.
const PROVIDER_FAILURES = new Set([
  "OAUTH_RESPONSE_IS_NOT_CONFORM",
  "OAUTH_RESPONSE_IS_NOT_JSON",
  "OAUTH_PARSE_ERROR",
  "OAUTH_HTTP_REQUEST_FORBIDDEN",
  "OAUTH_REQUEST_PROTOCOL_FORBIDDEN",
]);

function refusalOf(err: unknown): FragmentError {
  if (
    err instanceof client.ResponseBodyError ||
    err instanceof client.AuthorizationResponseError ||
    err instanceof client.WWWAuthenticateChallengeError ||
    // fetch failed, or the request timed out
    err instanceof TypeError ||
    (err instanceof DOMException && (err.name === "TimeoutError" || err.name === "AbortError"))
  ) {
    return "provider_error";
  }
  if (err instanceof client.ClientError && err.code !== undefined && PROVIDER_FAILURES.has(err.code)) {
    return "provider_error";
  }
  return "invalid_id_token";
}

/** For the log: the library's own words, or the provider's error code; never what it was sent. */
function describe(err: unknown): string {
  if (err instanceof client.ResponseBodyError) return `token endpoint answered ${err.error}`;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

/** The token pair of `POST /auth/token` for the user of a login code, which stops working. */
export async function exchange(services: OauthServices, code: string, who: Requester): Promise<TokenPair> {
  const { auth } = services;
  const key = attemptKey("oauth-code", who.client);
  await checkAttempts(auth.attempts, key);
  const userId = await services.codes.take(code);
  const user = userId === undefined ? undefined : await getAccount(auth.db, userId);
  if (!user) {
    await auth.attempts.fail(key);
    services.logger.warn({ request_id: who.requestId, reason: "invalid_login_code" }, "oauth sign-in refused");
    throw new InvalidLoginCodeError();
  }
  return startSession(auth, user);
}

/** Unlink `provider` from the caller: 404 when not linked, 409 when it is their last way in. */
export function unlinkProvider(services: OauthServices, userId: string, provider: string): Promise<void> {
  return unlink(services.auth.db, userId, provider);
}
