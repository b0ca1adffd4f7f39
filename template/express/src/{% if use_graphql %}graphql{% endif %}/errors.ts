// GraphQL errors as this service writes them: `message`, `locations` and `path`
// where the engine gives them, and always `extensions.code`. The service's own
// errors (AppError) keep the REST problem's detail as their message and get the
// code of their HTTP status; anything else is INTERNAL_SERVER_ERROR and says no more.
import { GraphQLError } from "graphql/index.js";
import type { z } from "zod";

import { AppError, type FieldError } from "../core/errors.js";
import { parseRequest } from "../core/validation.js";

export const INTERNAL_MESSAGE = "Internal server error";

/** extensions.code of the service's errors, by their HTTP status. */
const CODES: Readonly<Record<number, string>> = {
  400: "BAD_USER_INPUT",
  401: "UNAUTHENTICATED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  422: "BAD_USER_INPUT",
  429: "RATE_LIMITED",
};

// How the engine words a variable value it could not coerce (missing, null or of the wrong type).
const VARIABLE_VALUE = /^Variable "\$[_A-Za-z][_0-9A-Za-z]*" (got invalid value|of required type|of non-null type)/;

export interface ErrorBody {
  message: string;
  locations?: readonly { line: number; column: number }[];
  path?: readonly (string | number)[];
  extensions: { code: string; errors?: FieldError[] };
}

/** An error of the request itself (parse, validation, limits): no path, `code` its own or `fallback`. */
export function requestError(error: GraphQLError, fallback: string): ErrorBody {
  const code = typeof error.extensions.code === "string" ? error.extensions.code : fallback;
  return {
    message: error.message,
    ...(error.locations ? { locations: error.locations } : {}),
    extensions: { code },
  };
}

/** An error raised while executing, or undefined when it is not the service's own (then: internal). */
export function executionError(error: GraphQLError): ErrorBody | undefined {
  const original = error.originalError;
  const where = {
    ...(error.locations ? { locations: error.locations } : {}),
    ...(error.path ? { path: error.path } : {}),
  };
  if (original === undefined || original instanceof GraphQLError) {
    // The engine's own: variables whose values do not fit their types are the client's input.
    const code = VARIABLE_VALUE.test(error.message) ? "BAD_USER_INPUT" : "GRAPHQL_VALIDATION_FAILED";
    return { message: error.message, ...where, extensions: { code } };
  }
  if (!(original instanceof AppError)) return undefined;
  const code = CODES[original.status];
  if (code === undefined) return undefined;
  const extensions = code === "BAD_USER_INPUT" && original.errors ? { code, errors: original.errors } : { code };
  return { message: original.message, ...where, extensions };
}

export function internalError(error: GraphQLError): ErrorBody {
  return {
    message: INTERNAL_MESSAGE,
    ...(error.locations ? { locations: error.locations } : {}),
    ...(error.path ? { path: error.path } : {}),
    extensions: { code: "INTERNAL_SERVER_ERROR" },
  };
}

/**
 * Where an argument sits: `prefix` before it (["input"] for an input object's
 * fields) and the GraphQL name of each REST name (author_id → authorId).
 */
export interface ArgumentPaths {
  prefix?: readonly string[];
  names?: Readonly<Record<string, string>>;
}

/** A REST field error's `loc` (["body", "author_id"]) as the GraphQL argument path (["input", "authorId"]). */
function argumentLoc(loc: FieldError["loc"], { prefix = [], names = {} }: ArgumentPaths): FieldError["loc"] {
  const path = loc.slice(1).map((part) => (typeof part === "string" ? (names[part] ?? part) : part));
  return [...prefix, ...path];
}

/** A 422 of REST's names as one of GraphQL's; any other error as it is. */
function renamed(err: unknown, paths: ArgumentPaths): unknown {
  if (!(err instanceof AppError) || !err.errors) return err;
  const errors = err.errors.map((field) => ({ ...field, loc: argumentLoc(field.loc, paths) }));
  return new AppError(err.code, err.status, err.message, { errors, cause: err });
}

/** `work`, whose 422s name GraphQL arguments instead of REST's body, query or path fields. */
export async function asArguments<T>(paths: ArgumentPaths, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw renamed(err, paths);
  }
}

/** Arguments validated by the schema REST validates the same input with; a failure is BAD_USER_INPUT. */
export function parseArguments<S extends z.ZodType>(schema: S, input: object, paths: ArgumentPaths = {}): z.output<S> {
  try {
    // Spread: the engine's input objects have no prototype.
    return parseRequest({ params: undefined, query: undefined, body: { ...input } }, { body: schema }).body;
  } catch (err) {
    throw renamed(err, paths);
  }
}
