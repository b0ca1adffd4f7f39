// Input validation: zod's parsed output replaces the raw input, and a failure
// becomes one 422 problem listing every bad field.
import type { z } from "zod";

import { AppError, type FieldError } from "./errors.js";

export type InputLocation = "body" | "query" | "path" | "header";

export function toFieldErrors(location: InputLocation, issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.flatMap((issue) => {
    const loc = [location, ...issue.path.map((key) => (typeof key === "number" ? key : String(key)))];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ loc: [...loc, key], msg: "Unknown field", type: "unrecognized_key" }));
    }
    return [{ loc, msg: issue.message, type: issue.code }];
  });
}

/** Parse `input` with `schema`, or throw a 422 AppError naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, location: InputLocation): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new AppError("validation_failed", 422, "The request is invalid.", {
      errors: toFieldErrors(location, result.error.issues),
    });
  }
  return result.data;
}
