// Cache-aside reads over Redis, with stampede protection and a fallback when Redis fails.
//
// A miss is computed once: concurrent misses of one key in this process queue on a
// per-key lock, and across processes one holder takes a short Redis lock (SET NX PX)
// while the others wait for its value. A Redis error never fails a read: the value
// is computed from the source and the error is logged as a warning.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

import type { Redis } from "ioredis";
import type { Logger } from "pino";

import { describeError } from "../core/errors.js";
import type { ReadAheadValues } from "./readahead.js";

// Longer than a load takes; a holder that dies only delays the others this long.
export const LOCK_MILLISECONDS = 3_000;
const LOCK_POLL_MILLISECONDS = 50;
// Deletes the lock only while it is still ours (it may have expired and been retaken).
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end";

export interface Loaded {
  value: string;
  /** Groups this value belongs to, so that forgetTagged drops it with the group. */
  tags?: readonly string[];
}

/** One lock per key, kept only while someone holds or waits for it. */
export class KeyLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async hold<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => released);
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      // Nobody queued behind this holder: the key's lock goes.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/** One read; after its first Redis error it stops calling Redis. */
interface Attempt {
  redisOk: boolean;
}

export interface CacheAsideOptions {
  ttlSeconds: number;
  locks: KeyLocks;
  logger: Logger;
}

export class CacheAside {
  // What this request dropped, to drop once more after its writes committed.
  private droppedKeys: string[] = [];
  private droppedTags: string[] = [];

  constructor(
    private readonly redis: Redis,
    private readonly options: CacheAsideOptions,
    // What the request's read-ahead asked of Redis with its rate-limit count (readahead.ts).
    private readonly readAhead?: ReadAheadValues,
  ) {}

  /** The value of `key` and whether it came from the cache (a hit). */
  async getOrLoad(key: string, load: () => Promise<Loaded>): Promise<[value: string, hit: boolean]> {
    const attempt: Attempt = { redisOk: true };
    const cached = await this.read(attempt, key);
    if (cached !== undefined) return [cached, true];
    return this.options.locks.hold(key, async () => {
      // Another request of this process may have loaded it while this one waited.
      const loadedHere = await this.read(attempt, key);
      if (loadedHere !== undefined) return [loadedHere, true];
      const token = randomUUID();
      const owner = await this.lock(attempt, key, token);
      try {
        // The lock's owner reads once more: another process may have stored the
        // value just before releasing the lock. The others wait for the owner's value.
        const loadedElsewhere = owner ? await this.read(attempt, key) : await this.waitFor(attempt, key);
        if (loadedElsewhere !== undefined) return [loadedElsewhere, true];
        const loaded = await load();
        await this.write(attempt, key, loaded);
        return [loaded.value, false];
      } finally {
        if (owner) await this.unlock(attempt, key, token);
      }
    });
  }

  /**
   * The value of `key`, or else `load`'s, stored for next time (nothing is stored
   * when `load` finds nothing). No stampede lock: for values as cheap to load as
   * one primary-key read.
   */
  async readThrough(key: string, load: () => Promise<string | undefined>): Promise<string | undefined> {
    const attempt: Attempt = { redisOk: true };
    const cached = await this.read(attempt, key);
    if (cached !== undefined) return cached;
    const value = await load();
    if (value !== undefined) await this.write(attempt, key, { value });
    return value;
  }

  /** Drop `keys`; a Redis error leaves them to expire with their TTL. */
  async forget(...keys: string[]): Promise<void> {
    this.droppedKeys.push(...keys);
    try {
      await this.redis.del(...keys);
    } catch (err) {
      this.invalidationFailed(err);
    }
  }

  /** Drop every value stored with `tag`. */
  async forgetTagged(tag: string): Promise<void> {
    this.droppedTags.push(tag);
    const name = `tag:${tag}`;
    try {
      const keys = await this.redis.smembers(name);
      await this.redis.del(name, ...keys);
    } catch (err) {
      this.invalidationFailed(err);
    }
  }

  /**
   * Drop again what this request dropped, once its writes have committed. A read
   * between the first drop and the commit may have cached the old row; this second
   * drop bounds that staleness to the moment between commit and now.
   */
  async forgetAgain(): Promise<void> {
    const [keys, tags] = [this.droppedKeys, this.droppedTags];
    this.droppedKeys = [];
    this.droppedTags = [];
    if (keys.length > 0) await this.forget(...keys);
    for (const tag of tags) await this.forgetTagged(tag);
    this.droppedKeys = [];
    this.droppedTags = [];
  }

  private invalidationFailed(err: unknown): void {
    this.options.logger.warn(
      { reason: describeError(err) },
      "cache invalidation failed; entries expire with their TTL",
    );
  }

  private async call<T>(attempt: Attempt, operation: () => Promise<T>): Promise<T | undefined> {
    if (!attempt.redisOk) return undefined;
    try {
      return await operation();
    } catch (err) {
      attempt.redisOk = false;
      this.options.logger.warn({ reason: describeError(err) }, "cache unavailable; reading from the database");
      return undefined;
    }
  }

  private async read(attempt: Attempt, key: string): Promise<string | undefined> {
    if (this.readAhead) {
      const early = await this.readAhead.take(key);
      // null: Redis had no such key when the request began, a miss like any other.
      if (early !== undefined) return early ?? undefined;
    }
    return (await this.call(attempt, () => this.redis.get(key))) ?? undefined;
  }

  private async write(attempt: Attempt, key: string, loaded: Loaded): Promise<void> {
    const ttl = this.options.ttlSeconds;
    await this.call(attempt, async () => {
      if (!loaded.tags?.length) {
        await this.redis.set(key, loaded.value, "EX", ttl);
        return;
      }
      const transaction = this.redis.multi().set(key, loaded.value, "EX", ttl);
      for (const tag of loaded.tags) {
        // The group lives as long as its longest-lived value.
        const name = `tag:${tag}`;
        transaction.sadd(name, key).expire(name, ttl, "GT").expire(name, ttl, "NX");
      }
      for (const [err] of (await transaction.exec()) ?? []) {
        if (err) throw err;
      }
    });
  }

  private async lock(attempt: Attempt, key: string, token: string): Promise<boolean> {
    const taken = await this.call(attempt, () => this.redis.set(`lock:${key}`, token, "PX", LOCK_MILLISECONDS, "NX"));
    // Without Redis there is nobody to coordinate with: load.
    return taken === "OK" || !attempt.redisOk;
  }

  private async unlock(attempt: Attempt, key: string, token: string): Promise<void> {
    await this.call(attempt, () => this.redis.eval(RELEASE, 1, `lock:${key}`, token));
  }

  /** The value another process is loading, or undefined when its lock ends without one. */
  private async waitFor(attempt: Attempt, key: string): Promise<string | undefined> {
    for (let waited = 0; waited < LOCK_MILLISECONDS; waited += LOCK_POLL_MILLISECONDS) {
      await sleep(LOCK_POLL_MILLISECONDS);
      const cached = await this.read(attempt, key);
      if (cached !== undefined || !attempt.redisOk) return cached;
      if (!(await this.call(attempt, () => this.redis.exists(`lock:${key}`)))) return this.read(attempt, key);
    }
    return undefined;
  }
}
