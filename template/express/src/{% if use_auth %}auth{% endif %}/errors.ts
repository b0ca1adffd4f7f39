// The errors of authentication and authorisation, each with its stable code and status.
import { AppError } from "../core/errors.js";

const BEARER = { "WWW-Authenticate": "Bearer" };

export class NotAuthenticatedError extends AppError {
  constructor() {
    super("not_authenticated", 401, "A valid bearer token is required.", { headers: BEARER });
  }
}

/** Whatever is wrong with the token; the reason is not told to the client. */
export class InvalidTokenError extends AppError {
  constructor() {
    super("invalid_token", 401, "The bearer token is invalid or has expired.", { headers: BEARER });
  }
}

/** The same answer for an unknown email and a wrong password. */
export class InvalidCredentialsError extends AppError {
  constructor() {
    super("invalid_credentials", 401, "The email or password is wrong.");
  }
}

export class InvalidRefreshTokenError extends AppError {
  constructor() {
    super("invalid_refresh_token", 401, "The refresh token is invalid or has expired.");
  }
}

export class ForbiddenError extends AppError {
  constructor() {
    super("forbidden", 403, "Your role does not allow this.");
  }
}

export class TooManyAttemptsError extends AppError {
  constructor(retryAfter: number) {
    super("too_many_attempts", 429, "Too many failed sign-in attempts; try again later.", {
      headers: { "Retry-After": String(retryAfter) },
    });
  }
}
