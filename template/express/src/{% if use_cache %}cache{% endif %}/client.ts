// The Redis client: created and connected by wiring.ts at start-up, closed at
// shutdown. ioredis multiplexes every command over one connection (pipelining),
// so one client per process is the pool. Commands fail fast instead of queueing
// while disconnected, so a dead Redis never hangs a request or the readiness probe.
import { Redis } from "ioredis";
import type { Logger } from "pino";

import { describeError } from "../core/errors.js";
import { connectWithRetry, type RetryOptions } from "../core/retry.js";

export interface RedisSettings {
  redisUrl: string;
}

const CONNECT_TIMEOUT_MS = 5_000;
const COMMAND_TIMEOUT_MS = 5_000;
const MAX_RECONNECT_DELAY_MS = 2_000;

export function createRedis(settings: RedisSettings, logger: Logger): Redis {
  const client = new Redis(settings.redisUrl, {
    lazyConnect: true,
    // Commands of concurrent requests issued in one tick leave in one write: one
    // system call instead of one per command (rate limit, caller, cached post).
    enableAutoPipelining: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    // After start-up, keep reconnecting in the background; the readiness probe
    // reports the outage meanwhile.
    retryStrategy: (times) => Math.min(times * 200, MAX_RECONNECT_DELAY_MS),
  });
  client.on("error", (err: Error) => {
    logger.warn({ reason: describeError(err) }, "Redis connection error");
  });
  return client;
}

/** The readiness check: one PING. */
export async function checkRedis(client: Redis): Promise<void> {
  await client.ping();
}

/** Where a URL points, without its credentials. */
export function describeRedis(redisUrl: string): string {
  const url = new URL(redisUrl);
  return `${url.hostname}:${url.port || "6379"}${url.pathname}`;
}

/** Start-up: a connected client, after retries with backoff, or an error naming Redis. */
export async function openRedis(settings: RedisSettings, logger: Logger, options: RetryOptions = {}): Promise<Redis> {
  const connect = async (): Promise<Redis> => {
    // A fresh client per attempt: a failed one keeps reconnecting on its own.
    const client = createRedis(settings, logger);
    try {
      await client.connect();
      return client;
    } catch (err) {
      client.disconnect();
      throw err;
    }
  };
  return connectWithRetry("Redis", describeRedis(settings.redisUrl), connect, logger, options);
}
