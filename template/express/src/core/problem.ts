// The central error handler: every failure leaves as application/problem+json
// (RFC 9457). Only AppError (whose message is written for clients) and the body
// parser's client errors say what went wrong; anything else is a 500 whose
// details stay in the log, next to the request id.
import { STATUS_CODES } from "node:http";

import type { ErrorRequestHandler, RequestHandler, Response } from "express";
import type { Logger } from "pino";

import { AppError, type FieldError } from "./errors.js";

// RFC 9110 names; Node's STATUS_CODES still uses the older ones.
const TITLES: Readonly<Record<number, string>> = { 413: "Content Too Large", 422: "Unprocessable Content" };

export function titleFor(status: number): string {
  return TITLES[status] ?? STATUS_CODES[status] ?? "Error";
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[] | undefined;
}

/** Last route: nothing matched the path. */
export const notFound: RequestHandler = (req) => {
  throw new AppError("not_found", 404, `No resource at ${req.method} ${req.path}.`);
};

/** Terminal handler of a route that exists but does not serve this method. */
export function methodNotAllowed(...allowed: string[]): RequestHandler {
  const allow = allowed.map((method) => method.toUpperCase()).join(", ");
  return (req) => {
    throw new AppError("method_not_allowed", 405, `${req.method} is not allowed here; use ${allow}.`, {
      headers: { Allow: allow },
    });
  };
}

// Errors raised by express.json() carry `type`, `status` and `expose`.
interface ParserError {
  type: string;
  status: number;
  expose: boolean;
}

function isParserError(err: unknown): err is ParserError {
  return (
    typeof err === "object" &&
    err !== null &&
    typeof (err as Partial<ParserError>).type === "string" &&
    typeof (err as Partial<ParserError>).status === "number" &&
    (err as Partial<ParserError>).expose === true
  );
}

function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  if (!isParserError(err)) return undefined;
  if (err.type === "entity.parse.failed") {
    return new AppError("invalid_json", 422, "The request body is not valid JSON.", {
      errors: [{ loc: ["body"], msg: "Invalid JSON", type: "json_invalid" }],
    });
  }
  if (err.type === "entity.too.large") {
    return new AppError("body_too_large", 413, "The request body is larger than 1 MiB.");
  }
  if (err.status >= 400 && err.status < 500) {
    return new AppError("bad_request", err.status, "The request could not be processed.");
  }
  return undefined;
}

const INTERNAL_ERROR = new AppError("internal_error", 500, "An unexpected error occurred.");

/** `error` as an RFC 9457 problem document. */
export function problemOf(error: AppError): Problem {
  const problem: Problem = {
    type: error.type,
    title: error.title ?? titleFor(error.status),
    status: error.status,
    detail: error.message,
  };
  if (error.errors) problem.errors = error.errors;
  return problem;
}

/** Write `error` as an RFC 9457 problem document. */
export function sendProblem(res: Response, error: AppError): void {
  const problem = problemOf(error);
  res.set(error.headers);
  res.status(error.status).type("application/problem+json").json(problem);
}

export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    const error = toAppError(err) ?? INTERNAL_ERROR;
    if (error.status >= 500) {
      logger.error({ err, request_id: res.locals.requestId }, "request failed");
    }
    if (res.headersSent) {
      // Too late for a problem document (e.g. the request already timed out):
      // cut a response that is still streaming, otherwise there is nothing to do.
      if (!res.writableEnded) res.destroy();
      return;
    }
    sendProblem(res, error);
  };
}
