// The per-client rate limit of the API. Every /api/v1 response says where the
// client stands (RateLimit-Limit, -Remaining, -Reset); past RATE_LIMIT_PER_MINUTE
// in its fixed one-minute window (which starts at the client's first request)
// the answer is a 429 problem with Retry-After. rate-limiter-flexible counts:
// in this process here, or in Redis with the cache task (cache/windows.ts), so
// that every instance shares the count.
import type { RequestHandler, Response } from "express";
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

function describeWindow(res: Response, limit: string, window: RateLimiterRes): void {
  res.setHeader("RateLimit-Limit", limit);
  res.setHeader("RateLimit-Remaining", String(window.remainingPoints));
  res.setHeader("RateLimit-Reset", String(resetSeconds(window)));
}

/**
 * Count the request against its client's window. When the counter's store fails,
 * the request is served unlimited: an outage of the counter must not take the API down.
 */
export function rateLimit(limiter: RateLimiterAbstract, logger: Logger): RequestHandler {
  const limit = limiter.points;
  const limitHeader = String(limit);
  return async (req, res, next) => {
    // The socket's address, or the client named by a proxy on this host (see app.ts).
    const client = req.ip ?? "unknown";
    let window: RateLimiterRes;
    try {
      window = await limiter.consume(client);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) {
        logger.warn({ reason: describeError(rejection) }, "rate limit counter unavailable; request not limited");
        next();
        return;
      }
      describeWindow(res, limitHeader, rejection);
      throw new AppError(
        "rate_limited",
        429,
        `More than ${limit} requests a minute; retry after the Retry-After delay.`,
        { headers: { "Retry-After": String(resetSeconds(rejection)) } },
      );
    }
    describeWindow(res, limitHeader, window);
    next();
  };
}
