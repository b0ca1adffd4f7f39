// Access tokens already verified by this process, so a client's next request
// with the same token skips the signature check (a WebCrypto job each time).
//
// Safe because verification is a function of the token's exact text, the key and
// the options (all fixed for the process: a new key means a new TokenKeys, with
// a new memo) and of the clock, through `exp` alone: our tokens carry no `nbf`,
// and those that do are never remembered. So a remembered token is accepted only
// while `exp` is still ahead, checked on every use exactly as jose checks it; a
// changed byte is another string, verified in full. Only successes are kept.
import type { AccessClaims } from "./tokens.js";

/** Enough for every client of a busy instance within one token lifetime. */
export const MAX_REMEMBERED = 10_000;

interface Remembered {
  claims: AccessClaims;
  /** The `exp` claim, in seconds since the epoch. */
  expiresAt: number;
}

/** jose's own clock: whole seconds, and a token is expired from the second `exp` names. */
export function epochSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export class VerifiedTokens {
  private readonly tokens = new Map<string, Remembered>();

  constructor(private readonly limit = MAX_REMEMBERED) {}

  get size(): number {
    return this.tokens.size;
  }

  /** The claims of `token` if it was verified here and has not expired since. */
  get(token: string): AccessClaims | undefined {
    const found = this.tokens.get(token);
    if (!found) return undefined;
    if (found.expiresAt <= epochSeconds()) {
      this.tokens.delete(token);
      return undefined;
    }
    return found.claims;
  }

  /** Keep a token that has just passed every check; the oldest one goes when full. */
  remember(token: string, claims: AccessClaims, expiresAt: number): void {
    if (this.tokens.size >= this.limit) {
      const oldest = this.tokens.keys().next();
      if (!oldest.done) this.tokens.delete(oldest.value);
    }
    this.tokens.set(token, { claims, expiresAt });
  }
}
