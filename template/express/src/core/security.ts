// Security headers and CORS. Helmet's defaults stay on; the three the contract
// names are pinned explicitly, and HSTS is sent only when enabled (it is only
// meaningful behind TLS). A preflight is answered 204 without a body, allowed or
// not (the browser refuses an origin without Access-Control-Allow-Origin), with
// the Access-Control-* and Vary headers the README lists.
import type { ServerResponse } from "node:http";

import cors from "cors";
import type { Request, RequestHandler } from "express";
import helmet, { type HelmetOptions } from "helmet";

import { REQUEST_ID_HEADER } from "./request-id.js";

export interface SecurityOptions {
  hstsEnabled: boolean;
  corsOrigins: string[];
}

const HSTS_MAX_AGE_SECONDS = 31_536_000;

/** The response headers a browser script of an allowed origin may read (CORS hides the rest). */
export const CORS_EXPOSED_HEADERS = [
  REQUEST_ID_HEADER,
  "RateLimit-Limit",
  "RateLimit-Remaining",
  "RateLimit-Reset",
  "Retry-After",
  "Location",
  "ETag",
  "X-Cache",
] as const;

export function helmetOptions(hstsEnabled: boolean): HelmetOptions {
  return {
    xContentTypeOptions: true,
    xFrameOptions: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
    strictTransportSecurity: hstsEnabled ? { maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: true } : false,
  };
}

/**
 * The headers helmet sets with these options. They depend on nothing in the
 * request, so helmet's chain of a dozen middlewares runs once, at start-up, on a
 * recorder; helmet still decides every value, and a request only copies them.
 */
export function securityHeaders(hstsEnabled: boolean): [name: string, value: string][] {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader(name: string, value: unknown) {
      headers.set(name, String(value));
      return this;
    },
    removeHeader(name: string) {
      headers.delete(name);
    },
  };
  const middleware = helmet(helmetOptions(hstsEnabled));
  const outcomes: unknown[] = [];
  middleware({} as never, recorder as unknown as ServerResponse, (err?: unknown) => outcomes.push(err));
  // Helmet's middlewares are synchronous for these options; were one not, its
  // headers could not be recorded once and each request would have to run it.
  if (outcomes.length !== 1 || outcomes[0] !== undefined) throw new Error("helmet did not set its headers at once");
  return [...headers];
}

/** What the API's routes answer to; HEAD with GET. */
export const CORS_ALLOWED_METHODS = ["GET", "HEAD", "POST", "PATCH", "DELETE"] as const;
export const CORS_MAX_AGE_SECONDS = 600;

/** A CORS preflight: OPTIONS with Origin and Access-Control-Request-Method (cors takes any OPTIONS for one). */
function isPreflight(req: Request): boolean {
  return req.method === "OPTIONS" && req.headers.origin !== undefined && "access-control-request-method" in req.headers;
}

export function securityMiddleware({ hstsEnabled, corsOrigins }: SecurityOptions): RequestHandler[] {
  const headers = securityHeaders(hstsEnabled);
  const handlers: RequestHandler[] = [
    (_req, res, next) => {
      for (const [name, value] of headers) res.setHeader(name, value);
      next();
    },
  ];
  // No origin is allowed by default: without an allow-list, no CORS headers at all.
  if (corsOrigins.length > 0) {
    // Lists joined with ", " (the cors package would join them with ","), as the README writes them.
    const allowList = cors({
      origin: corsOrigins,
      methods: CORS_ALLOWED_METHODS.join(", "),
      exposedHeaders: CORS_EXPOSED_HEADERS.join(", "),
      maxAge: CORS_MAX_AGE_SECONDS,
    });
    // Any other OPTIONS goes on to the routes (405 with Allow), with CORS_ORIGINS set or not.
    handlers.push((req, res, next) => {
      if (req.method === "OPTIONS" && !isPreflight(req)) {
        next();
        return;
      }
      allowList(req, res, next);
    });
  }
  return handlers;
}
