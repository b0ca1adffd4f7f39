// What every feature's OpenAPI description shares: the problem documents errors
// leave as, the headers every response carries, and helpers that build response
// entries from zod schemas. Each feature registers its own routes (*.openapi.ts);
// src/openapi.ts assembles the document. What a middleware adds around the
// routes (rate limit, body limit, timeout; a task's own: pool timeout, cache,
// ETags) is an Amendment, applied to the operations it sees.
import type { OpenAPIRegistry, ResponseConfig, RouteConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";

import type { FieldError } from "./errors.js";
import type { Problem } from "./problem.js";
import { REQUEST_ID_HEADER } from "./request-id.js";

const PROBLEM_CONTENT_TYPE = "application/problem+json";

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

// Whole seconds or counts: header values are strings, of digits.
function digits(description: string) {
  return z
    .string()
    .regex(/^[0-9]+$/)
    .meta({ description });
}
export const RETRY_AFTER = { "Retry-After": digits("seconds to wait before retrying") };

/**
 * What a middleware adds to the operations it sees, which their routes do not
 * declare: `responses` it may give instead of the route; `headers` on the
 * operation's responses whose status is in `statuses` (on all of them when
 * absent); `requestHeaders` it reads.
 */
export interface Amendment {
  appliesTo: (route: RouteConfig) => boolean;
  responses?: Record<string, ResponseConfig>;
  headers?: Record<string, z.ZodType>;
  statuses?: readonly string[];
  requestHeaders?: Record<string, z.ZodType>;
}

/** Routes under `prefix` (or any of several), of any of `methods` (of all when none is given). */
export const under =
  (prefix: string | readonly string[], ...methods: RouteConfig["method"][]) =>
  (route: RouteConfig): boolean =>
    (typeof prefix === "string" ? [prefix] : prefix).some((path) => route.path.startsWith(path)) &&
    (methods.length === 0 || methods.includes(route.method));

/** core/limits.ts: where the client stands on every answer, 429 past it. */
export function rateLimited(prefix: string | readonly string[]): Amendment {
  // Optional: an unreachable counter serves requests unlimited, without them.
  return {
    appliesTo: under(prefix),
    responses: {
      429: problemResponse("More than RATE_LIMIT_PER_MINUTE requests a minute from this client", {
        headers: RETRY_AFTER,
      }),
    },
    headers: {
      "RateLimit-Limit": digits("requests allowed per window").optional(),
      "RateLimit-Remaining": digits("requests left in this window").optional(),
      "RateLimit-Reset": digits("seconds until the window ends").optional(),
    },
  };
}

/** express.json's limit (app.ts): 413 for a body over 1 MiB. */
export function bodyLimited(): Amendment {
  return {
    appliesTo: (route) => route.request?.body !== undefined,
    responses: { 413: problemResponse("The request body is larger than 1 MiB") },
  };
}

/** core/timeout.ts: 503 for a request still running at its time limit. */
export function timeLimited(prefix: string | readonly string[]): Amendment {
  const late =
    "The request did not complete within REQUEST_TIMEOUT_SECONDS, its wait for one of MAX_CONCURRENT_REQUESTS slots included";
  return { appliesTo: under(prefix), responses: { 503: problemResponse(late) } };
}

type Definitions = OpenAPIRegistry["definitions"];
type Responses = RouteConfig["responses"];
type Response = Responses[string];

function extended(object: unknown, extra: Record<string, z.ZodType>): z.ZodObject {
  if (object === undefined) return z.object(extra);
  if (object instanceof z.ZodObject) return object.extend(extra);
  throw new Error("amended headers must be a zod object: build responses with the helpers above");
}

function withHeaders(response: Response, extra: Record<string, z.ZodType>): Response {
  return "$ref" in response ? response : { ...response, headers: extended(response.headers, extra) };
}

/** `added`, or both descriptions and headers where the route already answers so. */
function merged(existing: Response | undefined, added: ResponseConfig): Response {
  if (existing === undefined || "$ref" in existing) return existing ?? added;
  const second = added.description ?? "";
  const description = `${existing.description ?? ""}; or ${second.slice(0, 1).toLowerCase()}${second.slice(1)}`;
  const before = existing.headers instanceof z.ZodObject ? existing.headers.shape : {};
  const after = added.headers instanceof z.ZodObject ? added.headers.shape : {};
  const headers: Record<string, z.ZodType> = { ...before, ...after };
  // A header that only one of the two answers sends is not always there.
  for (const [name, schema] of Object.entries(headers)) {
    if (!(name in before && name in after)) headers[name] = schema.optional();
  }
  return { ...existing, description, headers: z.object(headers) };
}

function amendRoute(route: RouteConfig, amendments: readonly Amendment[]): RouteConfig {
  const applying = amendments.filter((amendment) => amendment.appliesTo(route));
  const responses: Responses = { ...route.responses };
  const amended = { ...route };
  for (const amendment of applying) {
    for (const [status, response] of Object.entries(amendment.responses ?? {})) {
      responses[status] = merged(responses[status], response);
    }
    if (amendment.requestHeaders) {
      amended.request = { ...amended.request, headers: extended(amended.request?.headers, amendment.requestHeaders) };
    }
  }
  // Headers last, so that they go on the answers other amendments added too.
  for (const { headers, statuses } of applying) {
    if (!headers) continue;
    for (const [status, response] of Object.entries(responses)) {
      if (!statuses || statuses.includes(status)) responses[status] = withHeaders(response, headers);
    }
  }
  const ordered = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
  return { ...amended, responses: ordered };
}

/** The registry's definitions, each route with what the amendments add to it. */
export function amendRoutes(definitions: Definitions, amendments: readonly Amendment[]): Definitions {
  return definitions.map((definition) =>
    definition.type === "route" ? { ...definition, route: amendRoute(definition.route, amendments) } : definition,
  );
}
