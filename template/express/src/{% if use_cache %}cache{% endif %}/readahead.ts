// Read-ahead: the cached values a request is about to read (the post it asks for,
// its caller's record) are asked of Redis before its rate-limit count, in the same
// tick. With the client's auto-pipelining both leave in one write and come back
// together: one round trip where there were three. The rate limiter knows nothing
// of it; the cache's reads (aside.ts) take a value from here before asking Redis.
//
// A value is what Redis held when the request began, as a read there would have
// been, and it is taken once: a second read of the key in the request goes to Redis.
import type { Request, RequestHandler } from "express";
import type { Redis } from "ioredis";

import { API_PREFIX } from "../api.js";
import { uuidString } from "../core/validation.js";
import { postKey } from "./keys.js";

/** The key of a cached value a request will read, named from the request alone; undefined for none. */
export type ReadAhead = (req: Request) => string | undefined;

/** The values read ahead for one request, each handed out once. */
export class ReadAheadValues {
  private readonly taken = new Set<string>();

  constructor(
    private readonly keys: readonly string[],
    // undefined when Redis failed: the reads then ask it themselves (and log the outage).
    private readonly values: Promise<readonly (string | null)[] | undefined>,
  ) {}

  /** The value of `key` (null: Redis has none), or undefined when it was not read ahead or was taken. */
  async take(key: string): Promise<string | null | undefined> {
    const index = this.keys.indexOf(key);
    if (index < 0 || this.taken.has(key)) return undefined;
    this.taken.add(key);
    return (await this.values)?.[index];
  }
}

declare global {
  // Express's own extension point for res.locals.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      readAhead?: ReadAheadValues;
    }
  }
}

const POST_PATH = "/posts/";

/** GET /posts/{id} reads the post's cached answer. */
export const postReadAhead: ReadAhead = (req) => {
  if (req.method !== "GET" && req.method !== "HEAD") return undefined;
  // Where the middleware is mounted (API_PREFIX, read here: api.js imports this module's task).
  if (req.baseUrl !== API_PREFIX || !req.path.startsWith(POST_PATH)) return undefined;
  // The key the route reads: the id as its validation hands it on. Another route, or a
  // malformed id (a 422): nothing to read.
  const id = uuidString.safeParse(req.path.slice(POST_PATH.length));
  return id.success ? postKey(id.data) : undefined;
};

/** Mounted just before the rate limit: its MGET leaves with the count. */
export function readAhead(redis: Redis, functions: readonly ReadAhead[]): RequestHandler {
  return (req, res, next) => {
    const keys: string[] = [];
    for (const name of functions) {
      const key = name(req);
      if (key !== undefined) keys.push(key);
    }
    if (keys.length > 0) {
      // Caught here: a failed read-ahead is no error, the reads go to Redis as before.
      const values = redis.mget(keys).catch(() => undefined);
      res.locals.readAhead = new ReadAheadValues(keys, values);
    }
    next();
  };
}
