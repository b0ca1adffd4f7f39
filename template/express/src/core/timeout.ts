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

const trimZeros = (text: string): string => (text.includes(".") ? text.replace(/\.?0+$/, "") : text);

/**
 * Seconds in the shortest plain form, for the timeout's detail: 30 → "30", 0.05 → "0.05".
 * At most six significant digits, no trailing zeros, and exponent notation ("1e-05")
 * only below 1e-4 or from 1e6 on.
 */
export function formatSeconds(seconds: number): string {
  const [digits = "", exponent = "0"] = seconds.toExponential(5).split("e");
  const power = Number(exponent);
  if (power < -4 || power >= 6) {
    return `${trimZeros(digits)}e${power < 0 ? "-" : "+"}${String(Math.abs(power)).padStart(2, "0")}`;
  }
  return trimZeros(seconds.toFixed(5 - power));
}

/**
 * Answer 503 when a request is still unanswered after `ms`. The handler keeps
 * running (JavaScript cannot cancel it); SQL statements have their own
 * statement_timeout. A late write by the handler fails and reaches the problem
 * handler, which logs it and sends nothing more.
 */
export function requestTimeout(ms: number): RequestHandler {
  const detail = `The request did not complete within ${formatSeconds(ms / 1000)} seconds.`;
  return (_req, res, next) => {
    const timer = setTimeout(() => {
      if (!res.headersSent) {
        sendProblem(res, new AppError("request_timeout", 503, detail));
      }
    }, ms);
    timer.unref();
    res.once("close", () => {
      clearTimeout(timer);
    });
    next();
  };
}
