// The per-client rate limit of the API. Every /api/v1 response says where the
// client stands (RateLimit-Limit, -Remaining, -Reset); each WebSocket upgrade
// request counts in the same window too. Past RATE_LIMIT_PER_MINUTE
// in its fixed one-minute window (which starts at the client's first request)
// the answer is a 429 problem with Retry-After. rate-limiter-flexible counts:
// in this process here, or in Redis with the cache task (cache/windows.ts), so
// that every instance shares the count.
import type { RequestHandler } from "express";
import type { Logger } from "pino";
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";

import { AppError, describeError } from "./errors.js";

export const RATE_LIMIT_WINDOW_SECONDS = 60;
/** Counters are named `rate-limit:<client address>`. */
export const RATE_LIMIT_PREFIX = "rate-limit";

/** One instance's count: right for a single instance only (see README). */
export function memoryRateLimiter(limit: number): RateLimiterAbstract {
  return new RateLimiterMemory({ keyPrefix: RATE_LIMIT_PREFIX, points: limit, duration: RATE_LIMIT_WINDOW_SECONDS });
}

/** Whole seconds until the window ends and the count starts again from 0. */
function resetSeconds(window: RateLimiterRes): number {
  return Math.max(1, Math.ceil(window.msBeforeNext / 1000));
}

/** Where the client stands in its window: on every API answer, the 429 included. */
function windowHeaders(limit: number, window: RateLimiterRes): Record<string, string> {
  return {
    "RateLimit-Limit": String(limit),
    "RateLimit-Remaining": String(window.remainingPoints),
    "RateLimit-Reset": String(resetSeconds(window)),
  };
}

/**
 * Count one request (an API request or a WebSocket upgrade) against its client's
 * window: the window after it, or undefined when the counter's store failed (the
 * request is then served unlimited: an outage of the counter must not take the
 * service down). Past the limit, throws the 429.
 */
export async function countRequest(
  limiter: RateLimiterAbstract,
  logger: Logger,
  client: string,
): Promise<RateLimiterRes | undefined> {
  try {
    return await limiter.consume(client);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) {
      logger.warn({ reason: describeError(rejection) }, "rate limit counter unavailable; request not limited");
      return undefined;
    }
    throw new AppError(
      "rate_limited",
      429,
      `More than ${limiter.points} requests a minute; retry after the Retry-After delay.`,
      { headers: { ...windowHeaders(limiter.points, rejection), "Retry-After": String(resetSeconds(rejection)) } },
    );
  }
}

/** The API's middleware: counts each request, and says where its client stands on the answer. */
export function rateLimit(limiter: RateLimiterAbstract, logger: Logger): RequestHandler {
  return async (req, res, next) => {
    // The socket's address, or the client named by a proxy on this host (see app.ts).
    const window = await countRequest(limiter, logger, req.ip ?? "unknown");
    if (window) res.set(windowHeaders(limiter.points, window));
    next();
  };
}
