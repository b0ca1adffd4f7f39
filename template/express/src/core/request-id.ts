// Every response carries X-Request-ID: a well-formed incoming id is kept so a
// request can be followed across services; anything else is replaced.
import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

import type { RequestHandler } from "express";

export const REQUEST_ID_HEADER = "X-Request-ID";
const VALID_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

declare global {
  // Express's own extension point for res.locals.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      requestId: string;
    }
  }
}

/** The id a request goes by: its own X-Request-ID when well-formed, else a new one. */
export function requestIdOf(headers: IncomingHttpHeaders): string {
  // Node's own header fields (lower-cased names): req.get would look the name up again.
  const incoming = headers["x-request-id"];
  return typeof incoming === "string" && VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

export const requestId: RequestHandler = (req, res, next) => {
  const id = requestIdOf(req.headers);
  res.locals.requestId = id;
  res.setHeader(REQUEST_ID_HEADER, id);
  next();
};
