// Input validation: zod's parsed output replaces the raw input, and a failure
// becomes one 422 problem listing every bad field.
import { z } from "zod";

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

/** Each part of a request and the schema it must satisfy. */
export interface RequestSchemas<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  path?: P;
  query?: Q;
  body?: B;
}

export interface ParsedRequest<P, Q, B> {
  path: P;
  query: Q;
  body: B;
}

interface RawRequest {
  params: unknown;
  query: unknown;
  body: unknown;
}

/**
 * Parse the path, query and body of `req` together, so one 422 lists every bad
 * field (path first, then query, then body); parts without a schema parse to undefined.
 */
export function parseRequest<
  P extends z.ZodType = z.ZodUndefined,
  Q extends z.ZodType = z.ZodUndefined,
  B extends z.ZodType = z.ZodUndefined,
>(req: RawRequest, schemas: RequestSchemas<P, Q, B>): ParsedRequest<z.output<P>, z.output<Q>, z.output<B>> {
  const errors: FieldError[] = [];
  const part = (schema: z.ZodType | undefined, input: unknown, location: InputLocation): unknown => {
    if (!schema) return undefined;
    const result = schema.safeParse(input);
    if (result.success) return result.data;
    errors.push(...toFieldErrors(location, result.error.issues));
    return undefined;
  };
  const parsed = {
    path: part(schemas.path, req.params, "path"),
    query: part(schemas.query, req.query, "query"),
    body: part(schemas.body, req.body, "body"),
  };
  if (errors.length > 0) {
    throw new AppError("validation_failed", 422, "The request is invalid; see errors.", { errors });
  }
  return parsed as ParsedRequest<z.output<P>, z.output<Q>, z.output<B>>;
}

// A UUID in any case, with or without hyphens (clients send all of these),
// always handed on in the canonical lower-case hyphenated form. No regex flags:
// the OpenAPI document carries the pattern, and JSON Schema patterns have none.
const UUID = /^([0-9a-fA-F]{8})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{12})$/;

export const uuidString = z
  .string()
  .regex(UUID, { error: "must be a UUID" })
  .transform((value) => value.toLowerCase().replace(UUID, "$1-$2-$3-$4-$5"))
  .meta({ format: "uuid" });

// PostgreSQL cannot store NUL (U+0000): refused as input, it is a 422 instead of a
// failed INSERT (a 500). The regex check also puts the pattern in the OpenAPI document.
// eslint-disable-next-line no-control-regex -- NUL is exactly the character refused
export const NO_NUL = /^[^\x00]*$/;

/**
 * A string of `min` to `max` characters, counted as PostgreSQL's varchar and JSON
 * Schema count them (code points, not UTF-16 units), none of them NUL.
 */
export function text(min: number, max: number): z.ZodString {
  // Also in the OpenAPI document: JSON Schema counts code points too.
  const lengths = min > 0 ? { minLength: min, maxLength: max } : { maxLength: max };
  return z
    .string()
    .regex(NO_NUL, { error: "must not contain the NUL character" })
    .refine(
      (value) => {
        // Each surrogate pair is one character.
        const length = value.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, "_").length;
        return length >= min && length <= max;
      },
      { error: min > 0 ? `must be ${min} to ${max} characters` : `must be at most ${max} characters` },
    )
    .meta(lengths);
}
