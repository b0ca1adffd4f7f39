// Retry with exponential backoff and jitter, for start-up connections. Time and
// randomness are injectable so tests count attempts without waiting.
import { setTimeout as sleep } from "node:timers/promises";

import type { Logger } from "pino";

import { describeError } from "./errors.js";

export interface RetryOptions {
  /** Total tries, the first included. */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Called before each wait with the failed attempt's number (1-based). */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  sleep?: (ms: number) => Promise<unknown>;
  random?: () => number;
}

export const DEFAULT_ATTEMPTS = 3;

/** Delay before retry n (1-based): base·2^(n-1), capped, then "equal jitter" (50-100 %). */
export function backoffDelay(retry: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** Run `operation` until it resolves or `attempts` tries failed; then rethrow the last error. */
export async function retry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const wait = options.sleep ?? sleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= attempts) throw error;
      const delayMs = backoffDelay(attempt, baseDelayMs, maxDelayMs, random);
      options.onRetry?.(error, attempt, delayMs);
      await wait(delayMs);
    }
  }
}

/**
 * Start-up: `connect` to a dependency, retried with backoff and a warning per failed
 * attempt; then an error naming it and where it was looked for.
 */
export async function connectWithRetry<T>(
  what: string,
  target: string,
  connect: () => Promise<T>,
  logger: Logger,
  options: RetryOptions = {},
): Promise<T> {
  try {
    return await retry(connect, {
      onRetry: (err, attempt, delayMs) => {
        logger.warn(
          { attempt, delay_ms: delayMs, reason: describeError(err) },
          `${what} at ${target} is not reachable yet; retrying`,
        );
      },
      ...options,
    });
  } catch (err) {
    const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
    throw new Error(`Could not connect to ${what} at ${target} after ${attempts} attempts: ${describeError(err)}`, {
      cause: err,
    });
  }
}
