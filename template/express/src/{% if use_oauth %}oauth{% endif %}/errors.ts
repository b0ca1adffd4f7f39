// The problems of signing in with a provider, and the error codes the callback sends
// back to the front end in the URL fragment once the state is known to be good.
import { AppError } from "../core/errors.js";

/** What `#error=` says; each refusal is also logged under the same code. */
export type FragmentError =
  "access_denied" | "provider_error" | "invalid_id_token" | "email_not_verified" | "email_required";

/** A sign-in that ends at the front end with `#error=<code>` rather than a login code. */
export class SignInRefused extends Error {
  override readonly name = "SignInRefused";

  constructor(
    readonly code: FragmentError,
    /** For the log only: never sent to the browser. */
    readonly reason: string,
  ) {
    super(`${code}: ${reason}`);
  }
}

export class UnknownProviderError extends AppError {
  constructor() {
    super("unknown_provider", 404, "No OpenID Connect provider has this name.");
  }
}

export class RedirectNotAllowedError extends AppError {
  constructor() {
    super("redirect_not_allowed", 400, "redirect_to must be exactly one of the URLs of OAUTH_REDIRECT_ALLOWLIST.");
  }
}

/** The provider's discovery failed; its answer is not repeated. */
export class ProviderUnavailableError extends AppError {
  constructor(provider: string, cause?: unknown) {
    super("provider_unavailable", 502, `The OpenID Connect provider ${provider} cannot be reached; try again later.`, {
      cause,
    });
  }
}

/** Missing, unknown, expired, used, or another provider's: never a redirect. */
export class InvalidStateError extends AppError {
  constructor() {
    super("invalid_oauth_state", 400, "The sign-in state is missing, unknown, expired or already used; sign in again.");
  }
}

export class InvalidLoginCodeError extends AppError {
  constructor() {
    super("invalid_login_code", 400, "The login code is unknown, expired or already used; sign in again.");
  }
}

export class IdentityNotLinkedError extends AppError {
  constructor() {
    super("identity_not_found", 404, "Your account is not linked to this provider.");
  }
}

export class LastSignInMethodError extends AppError {
  constructor() {
    super(
      "last_sign_in_method",
      409,
      "This provider is your only way to sign in: set a password or link another provider first.",
    );
  }
}
