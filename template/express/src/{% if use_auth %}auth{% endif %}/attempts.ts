// Counting failed sign-ins per (email, client) in fixed one-minute windows.
// MemoryAttemptCounter counts in this process, right for a single instance;
// with the cache task, RedisAttemptCounter (redis-attempts.ts) counts in Redis,
// shared by every instance.
import { createHash } from "node:crypto";

export const WINDOW_SECONDS = 60;

/** Keys hold emails: stored only as digests, wherever they are stored. */
export function hashed(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export interface AttemptCounter {
  /** Seconds until `key` may try again; 0 when it may try now. */
  blockedFor(key: string): Promise<number>;
  /** Count one failed attempt of `key`. */
  fail(key: string): Promise<void>;
  /** Forget `key`'s failures (after a successful sign-in). */
  reset(key: string): Promise<void>;
}

export class MemoryAttemptCounter implements AttemptCounter {
  private readonly windows = new Map<string, { hits: number; endsAt: number }>();

  constructor(private readonly limit: number) {}

  private current(key: string): { hits: number; endsAt: number } | undefined {
    const window = this.windows.get(key);
    if (window && window.endsAt <= Date.now()) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  blockedFor(key: string): Promise<number> {
    const window = this.current(hashed(key));
    if (!window || window.hits < this.limit) return Promise.resolve(0);
    return Promise.resolve(Math.max(1, Math.ceil((window.endsAt - Date.now()) / 1000)));
  }

  fail(key: string): Promise<void> {
    const id = hashed(key);
    const window = this.current(id) ?? { hits: 0, endsAt: Date.now() + WINDOW_SECONDS * 1000 };
    window.hits += 1;
    this.windows.set(id, window);
    return Promise.resolve();
  }

  reset(key: string): Promise<void> {
    this.windows.delete(hashed(key));
    return Promise.resolve();
  }
}
