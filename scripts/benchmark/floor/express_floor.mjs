// The Express floor of scripts/bench.py: bare Express 5 plus only the work the
// HTTP contract asks for on three routes, and nothing else (see fastapi_floor.py):
// one middleware for the request id, the security headers (the render's own
// list, src/core/security.ts) and the access line (the render's own pino
// logger); GET /health/live; GET /api/v1/users/me and /api/v1/posts/:id, each
// with the bearer token looked up in a Map and one Redis round trip (EVALSHA)
// that counts the rate-limit window and reads the caller and the post. The post
// is sent as the stored bytes with its ETag and X-Cache: HIT.
// Copied into a built render, so that its modules and dist/ resolve.
// Usage: REDIS_URL=... node express_floor.mjs PORT
import { createHash, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { performance } from "node:perf_hooks";

import express from "express";
import { Redis } from "ioredis";

import { createLogger } from "./dist/core/logging.js";
import { securityHeaders } from "./dist/core/security.js";

const API = "/api/v1";
const LIMIT = 1_000_000;
const logger = createLogger("info");
const fixedHeaders = securityHeaders(false);
const redis = new Redis(process.env.REDIS_URL, { enableAutoPipelining: true });
redis.defineCommand("hitAndRead", {
  numberOfKeys: 3,
  lua: `local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('EXPIRE', KEYS[1], 60) end
return {hits, redis.call('TTL', KEYS[1]), redis.call('GET', KEYS[2]), redis.call('GET', KEYS[3])}`,
});
const user = {
  id: randomUUID(),
  email: "floor@example.com",
  display_name: "Floor",
  role: "user",
  created_at: new Date().toISOString(),
};
const now = new Date().toISOString();
// The shape and size of a seeded post with its author (about 670 bytes).
const post = JSON.stringify({
  id: randomUUID(),
  author_id: user.id,
  title: "Post 1",
  body: "A paragraph of text for the benchmark. ".repeat(10),
  created_at: now,
  updated_at: now,
  author: { id: user.id, name: "Bench Author" },
});
await redis.set("floor:user", JSON.stringify(user));
await redis.set("floor:post", post);
const verified = new Map();

const app = express();
app.disable("x-powered-by");
app.set("etag", false);
app.use((req, res, next) => {
  const started = performance.now();
  const requestId = randomUUID();
  for (const [name, value] of fixedHeaders) res.setHeader(name, value);
  res.setHeader("X-Request-ID", requestId);
  res.once("finish", () => {
    logger.info(
      {
        method: req.method,
        path: req.path,
        status: res.statusCode,
        duration_ms: Math.round((performance.now() - started) * 1000) / 1000,
        request_id: requestId,
      },
      "request",
    );
  });
  next();
});

async function hitAndRead(req, res, key) {
  const bearer = req.headers.authorization ?? "";
  if (!verified.has(bearer)) verified.set(bearer, user.id); // verified once, then remembered
  const [hits, ttl, caller, value] = await redis.hitAndRead(`floor:rate:${req.ip}`, "floor:user", key);
  res.setHeader("RateLimit-Limit", String(LIMIT));
  res.setHeader("RateLimit-Remaining", String(Math.max(0, LIMIT - hits)));
  res.setHeader("RateLimit-Reset", String(ttl));
  return [JSON.parse(caller), value];
}

app.get("/health/live", (_req, res) => {
  res.json({ status: "ok" });
});
app.get(`${API}/users/me`, async (req, res) => {
  const [caller] = await hitAndRead(req, res, "floor:none");
  const { id, email, display_name, role, created_at } = caller;
  res.json({ id, email, display_name, role, created_at });
});
app.get(`${API}/posts/:id`, async (req, res) => {
  const [, body] = await hitAndRead(req, res, "floor:post");
  res.setHeader("ETag", `W/"${createHash("sha256").update(body).digest("hex").slice(0, 32)}"`);
  res.setHeader("X-Cache", "HIT");
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.end(body);
});

const server = createServer(app);
server.listen(Number(process.argv[2]), "127.0.0.1");
process.once("SIGTERM", () => {
  server.close(() => {
    redis.disconnect();
    process.exit(0);
  });
  server.closeAllConnections();
});
