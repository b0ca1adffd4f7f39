// HTTP-level optimisations as middleware: the per-request query count, ETags and compression.
import { hash } from "node:crypto";

import compression from "compression";
import type { RequestHandler, Response } from "express";
import onHeaders from "on-headers";

import { countingQueries } from "./queries.js";

export const QUERY_COUNT_HEADER = "X-Query-Count";

/** Counts each request's database statements; sends X-Query-Count when `header` is on. */
export function queryCount({ header }: { header: boolean }): RequestHandler {
  return (_req, res, next) => {
    countingQueries((count) => {
      if (header) {
        // Set as the headers go out: by then every statement of the request has been sent.
        onHeaders(res, () => {
          res.setHeader(QUERY_COUNT_HEADER, String(count.statements));
        });
      }
      next();
    }, res.locals.requestId);
  };
}

/** Weak: compression may change the bytes, not the meaning. */
export function etagOf(body: string | Buffer): string {
  // The one-shot form: no Hash object per answer.
  return `W/"${hash("sha256", body, "hex").slice(0, 32)}"`;
}

function matches(ifNoneMatch: string, etag: string): boolean {
  const wanted = new Set(ifNoneMatch.split(",").map((tag) => tag.trim().replace(/^W\//, "")));
  return wanted.has("*") || wanted.has(etag.replace(/^W\//, ""));
}

const UTF8_TYPE = /;\s*charset=utf-8/i;

/**
 * A text body whose Content-Type names UTF-8 already (every JSON answer) as its
 * bytes: encoded once, then hashed and sent, instead of hashed and then encoded
 * again by res.send. Any other body is left to res.send, which sets its charset.
 */
function utf8Bytes(res: Response, body: string | Buffer): string | Buffer {
  if (typeof body !== "string") return body;
  const type = res.getHeader("Content-Type");
  return typeof type === "string" && UTF8_TYPE.test(type) ? Buffer.from(body, "utf8") : body;
}

/**
 * An ETag on every 200 answer to a GET; a matching If-None-Match gets 304 without
 * a body. Every JSON answer goes through res.send, before compression, so the tag
 * is the uncompressed body's.
 */
export const etags: RequestHandler = (req, res, next) => {
  if (req.method !== "GET") {
    next();
    return;
  }
  const send = res.send.bind(res);
  res.send = (body?: unknown) => {
    // Only a full 200 answer has a representation to tag.
    if (res.statusCode === 200 && (typeof body === "string" || Buffer.isBuffer(body))) {
      const bytes = utf8Bytes(res, body);
      const etag = etagOf(bytes);
      res.setHeader("ETag", etag);
      const ifNoneMatch = req.headers["if-none-match"];
      // res.send drops the body, Content-Type and Content-Length of a 304.
      if (ifNoneMatch !== undefined && matches(ifNoneMatch, etag)) res.status(304);
      return send(bytes);
    }
    return send(body);
  };
  next();
};

/**
 * Compressed answers (gzip, deflate or br, by the compression package) for clients
 * that accept an encoding. A request without Accept-Encoding gets the identity
 * whatever happens, so it skips the package's per-response hooks (tens of µs of
 * CPU each); its answers still say that they vary with Accept-Encoding.
 */
export function compressAccepted(thresholdBytes: number): RequestHandler {
  const compress = compression({ threshold: thresholdBytes });
  return (req, res, next) => {
    if (req.headers["accept-encoding"] !== undefined) {
      compress(req, res, next);
      return;
    }
    res.setHeader("Vary", "Accept-Encoding");
    next();
  };
}
