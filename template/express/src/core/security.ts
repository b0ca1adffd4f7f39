// Security headers and CORS. Helmet's defaults stay on; the three the contract
// names are pinned explicitly, and HSTS is sent only when enabled (it is only
// meaningful behind TLS).
import cors from "cors";
import type { RequestHandler } from "express";
import helmet from "helmet";

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

export function securityMiddleware({ hstsEnabled, corsOrigins }: SecurityOptions): RequestHandler[] {
  const handlers: RequestHandler[] = [
    helmet({
      xContentTypeOptions: true,
      xFrameOptions: { action: "deny" },
      referrerPolicy: { policy: "no-referrer" },
      strictTransportSecurity: hstsEnabled ? { maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: true } : false,
    }),
  ];
  // No origin is allowed by default: without an allow-list, no CORS headers at all.
  if (corsOrigins.length > 0) {
    // Joined as the FastAPI service joins them, so both send the same header value.
    handlers.push(cors({ origin: corsOrigins, exposedHeaders: CORS_EXPOSED_HEADERS.join(", ") }));
  }
  return handlers;
}
