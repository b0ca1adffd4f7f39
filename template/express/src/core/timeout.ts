import type { RequestHandler } from "express";

import { AppError } from "./errors.js";
import { sendProblem } from "./problem.js";

/** Raised by withTimeout when the deadline passes first. */
export class TimeoutError extends Error {
  override readonly name = "TimeoutError";
}

/** Settle with `promise`, or reject with TimeoutError after `ms`; the timer never keeps the process alive. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what = "operation"): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new TimeoutError(`${what} took longer than ${ms} ms`));
    }, ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Answer 503 when a request is still unanswered after `ms`. The handler keeps
 * running (JavaScript cannot cancel it); SQL statements have their own
 * statement_timeout. A late write by the handler fails and reaches the problem
 * handler, which logs it and sends nothing more.
 */
export function requestTimeout(ms: number): RequestHandler {
  return (_req, res, next) => {
    const timer = setTimeout(() => {
      if (!res.headersSent) {
        sendProblem(res, new AppError("request_timeout", 503, `The request took longer than ${ms / 1000} s.`));
      }
    }, ms);
    timer.unref();
    res.once("close", () => {
      clearTimeout(timer);
    });
    next();
  };
}
