// What every feature's OpenAPI description shares: the problem documents errors
// leave as, the headers every response carries, and helpers that build response
// entries from zod schemas. Each feature registers its own routes (*.openapi.ts);
// src/openapi.ts assembles the document.
import type { ResponseConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";

import type { FieldError } from "./errors.js";
import type { Problem } from "./problem.js";
import { REQUEST_ID_HEADER } from "./request-id.js";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

// `satisfies` keeps these in step with the types the problem handler sends.
export const FieldErrorSchema = z
  .object({ loc: z.array(z.union([z.string(), z.int()])), msg: z.string(), type: z.string() })
  .meta({ id: "FieldError" }) satisfies z.ZodType<FieldError>;

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    errors: z.array(FieldErrorSchema).optional().meta({ description: "with 422: every bad field" }),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details" }) satisfies z.ZodType<Problem>;

const requestId = z.string().meta({ description: "the request's id: a valid incoming one, or a new UUID" });
const headersOf = (extra: Record<string, z.ZodType> = {}) => z.object({ [REQUEST_ID_HEADER]: requestId, ...extra });

export interface ResponseOptions {
  headers?: Record<string, z.ZodType>;
}

/** A JSON body described by `schema`. */
export function jsonResponse(description: string, schema: z.ZodType, options: ResponseOptions = {}): ResponseConfig {
  return { description, headers: headersOf(options.headers), content: { "application/json": { schema } } };
}

/** 201: the new resource, and where it lives. */
export function createdResponse(description: string, schema: z.ZodType): ResponseConfig {
  return jsonResponse(description, schema, {
    headers: { Location: z.string().meta({ description: "the path of the new resource" }) },
  });
}

/** 204: done, nothing to return. */
export function noContentResponse(description: string): ResponseConfig {
  return { description, headers: headersOf() };
}

/** An error, as the problem handler (core/problem.ts) sends it. */
export function problemResponse(description: string, options: ResponseOptions = {}): ResponseConfig {
  return {
    description,
    headers: headersOf(options.headers),
    content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
  };
}

/** 422 for a path, query or body that does not match its schema. */
export const VALIDATION_PROBLEM = problemResponse("Validation Error: `errors` lists every bad field");
