// POST /graphql: GraphQL over HTTP, JSON in and out. The request is parsed and
// validated (limits included) before anything runs: a bad one is HTTP 400 with
// `errors` only. An operation that runs is HTTP 200 with `data` and any `errors`.
// Failures that are not the operation's (the storage away, a full pool) leave as
// the same 503 problem REST answers, through the app's error handlers.
import type { ErrorRequestHandler, Request, RequestHandler, Response } from "express";
// "graphql/index.js" in every module here, not "graphql": graphql-jit loads
// graphql's CommonJS files, as Node loads "graphql" too, but the test runner
// would resolve a bare "graphql" to its ES module build, a second copy of its
// classes that graphql refuses to mix with the first.
import {
  execute,
  getOperationAST,
  OperationTypeNode,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
} from "graphql/index.js";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";
import type { Logger } from "pino";

import { AppError } from "../core/errors.js";
import { TASKS } from "../wiring.js";
import { documentCheck } from "./documents.js";
import { executionError, internalError, type ErrorBody } from "./errors.js";
import { withoutSuggestions, type LimitSettings } from "./limits.js";

export const GRAPHQL_RESPONSE_TYPE = "application/graphql-response+json";
const NO_SUBSCRIPTIONS = "Subscription operations can only be executed over a WebSocket connection.";
const JSON_TYPE = "application/json";

export interface GraphQLRequest {
  query: string;
  variables: Record<string, unknown> | null;
  operationName: string | null;
}

export interface EndpointOptions {
  schema: GraphQLSchema;
  limits: LimitSettings;
  /** DOCS_ENABLED: introspection allowed, and the engine's "Did you mean" hints kept. */
  docs: boolean;
  logger: Logger;
  /** The per-request context the resolvers get. */
  context: (res: Response) => unknown;
}

/**
 * A valid operation, and what graphql-jit compiled it to: a function that runs
 * just this operation's fields, several times faster over a page than the
 * engine's generic walk (README, "Benchmarks"). An operation it cannot compile
 * runs in the engine, which then answers as it always does.
 */
interface Checked {
  document: DocumentNode;
  compiled?: CompiledQuery;
}

/**
 * Parsed, validated and compiled operations by their text, the most recent 500:
 * clients send the same few operations over and over, and preparing one again
 * costs more than running it. The schema and limits never change meanwhile.
 * A text over `longest` characters is never kept: whatever clients send, it stays small.
 */
class DocumentCache {
  private readonly entries = new Map<string, Checked | { errors: ErrorBody[] }>();

  constructor(
    private readonly size = 500,
    private readonly longest = 16_384,
  ) {}

  get(
    query: string,
    operationName: string | null,
    check: () => Checked | { errors: ErrorBody[] },
  ): Checked | { errors: ErrorBody[] } {
    if (query.length > this.longest) return check();
    const key = `${operationName ?? ""}\u0000${query}`;
    const found = this.entries.get(key);
    if (found) {
      // Most recently used last: the first entry is the one to drop.
      this.entries.delete(key);
      this.entries.set(key, found);
      return found;
    }
    const checked = check();
    if (this.entries.size >= this.size) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, checked);
    return checked;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The body as a GraphQL request, or the reason it is not one. */
function readRequest(body: unknown): GraphQLRequest | string {
  if (!isObject(body)) return "The body must be a JSON object.";
  const { query, variables, operationName } = body;
  if (typeof query !== "string") return "query must be a string.";
  if (variables !== undefined && variables !== null && !isObject(variables))
    return "variables must be an object or null.";
  if (operationName !== undefined && operationName !== null && typeof operationName !== "string") {
    return "operationName must be a string or null.";
  }
  return { query, variables: variables ?? null, operationName: operationName ?? null };
}

function send(req: Request, res: Response, status: number, body: object): void {
  const type = req.get("accept")?.includes(GRAPHQL_RESPONSE_TYPE) ? GRAPHQL_RESPONSE_TYPE : JSON_TYPE;
  res.status(status).setHeader("Content-Type", `${type}; charset=utf-8`);
  res.send(JSON.stringify(body));
}

/** What the app's error handlers make of `err`: a task's failure that is an answer (a 503), or nothing. */
function unavailable(err: unknown, req: Request, res: Response): AppError | undefined {
  let current = err;
  for (const handler of TASKS.flatMap((task) => task.errorHandlers ?? [])) {
    handler(current, req, res, (next?: unknown) => {
      current = next;
    });
  }
  return current instanceof AppError && current.status === 503 ? current : undefined;
}

/** A body express.json could not read (not JSON, or JSON that is no object): 400 BAD_REQUEST, as for a bad shape. */
export const unreadableBody: ErrorRequestHandler = (err: unknown, req, res, next) => {
  if ((err as { type?: unknown } | null)?.type !== "entity.parse.failed") {
    next(err);
    return;
  }
  send(req, res, 400, { errors: [{ message: "The body is not valid JSON.", extensions: { code: "BAD_REQUEST" } }] });
};

export function graphqlEndpoint(options: EndpointOptions): RequestHandler {
  const { schema, limits, docs, logger } = options;
  const message = (text: string): string => (docs ? text : withoutSuggestions(text));
  const checkDocument = documentCheck({ schema, limits, docs });

  const documents = new DocumentCache();
  /** The operation parsed, validated and compiled, or the 400 body that refuses it. */
  const check = (request: GraphQLRequest): Checked | { errors: ErrorBody[] } => {
    const checked = checkDocument(request.query, request.operationName);
    if ("errors" in checked) return checked;
    const { document } = checked;
    if (getOperationAST(document, request.operationName)?.operation === OperationTypeNode.SUBSCRIPTION) {
      return { errors: [{ message: NO_SUBSCRIPTIONS, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }] };
    }
    const compiled = compileQuery(schema, document, request.operationName ?? undefined);
    return isCompiledQuery(compiled) ? { document, compiled } : { document };
  };

  return async (req, res) => {
    if (!req.is(JSON_TYPE)) {
      throw new AppError("unsupported_media_type", 415, "Send the GraphQL request as application/json.");
    }
    const request = readRequest(req.body);
    if (typeof request === "string") {
      send(req, res, 400, { errors: [{ message: request, extensions: { code: "BAD_REQUEST" } }] });
      return;
    }

    const checked = documents.get(request.query, request.operationName, () => check(request));
    if ("errors" in checked) {
      send(req, res, 400, checked);
      return;
    }
    const { document, compiled } = checked;

    const context = options.context(res);
    const result: ExecutionResult = compiled
      ? await compiled.query(undefined, context, request.variables ?? {})
      : await execute({
          schema,
          document,
          variableValues: request.variables,
          operationName: request.operationName,
          contextValue: context,
        });
    const errors: ErrorBody[] = [];
    for (const error of result.errors ?? []) {
      // The storage away: the whole request is the REST 503, not a GraphQL answer.
      const outage = unavailable(error.originalError, req, res);
      if (outage) throw outage;
      const known = executionError(error);
      if (known) errors.push({ ...known, message: message(known.message) });
      else {
        logger.error({ err: error.originalError ?? error, request_id: res.locals.requestId }, "request failed");
        errors.push(internalError(error));
      }
    }
    // Without data the request itself was refused (variables that do not fit, no such operation).
    if (!("data" in result)) {
      send(req, res, 400, { errors });
      return;
    }
    send(req, res, 200, errors.length > 0 ? { data: result.data, errors } : { data: result.data });
  };
}
