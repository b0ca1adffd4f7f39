// Redis being away, where a request cannot do without it.
import { AppError } from "../core/errors.js";

/** Redis cannot be reached and the request has no safe way around it: retry shortly. */
export class CacheUnavailableError extends AppError {
  constructor(cause?: unknown) {
    super("cache_unavailable", 503, "The cache is unavailable; retry after the Retry-After delay.", {
      headers: { "Retry-After": "1" },
      cause,
    });
  }
}

/** Run a Redis call; its failure (refused, reset, timed out, offline) becomes a 503, not a 500. */
export async function redisRequired<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new CacheUnavailableError(err);
  }
}
