// The checks an upgrade request passes before it becomes a socket, in this order:
// its Origin, the subprotocol, the caller (when the service signs callers in), and
// room for one more socket. Each refusal is the REST API's problem document, sent
// as a plain HTTP response on the raw connection: never a socket opened and closed.
import { ServerResponse, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";

import type { Request, Response } from "express";
import type { Logger } from "pino";

import { AppError } from "../core/errors.js";
import { problemOf, titleFor } from "../core/problem.js";
import { REQUEST_ID_HEADER } from "../core/request-id.js";
import { TASKS } from "../wiring.js";
import type { Connections } from "./connections.js";
import { SUBPROTOCOL } from "./messages.js";

/** Who opened a socket, and until when their token is good. */
export interface SocketCaller {
  userId: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** The caller of an upgrade request, from its headers or offered subprotocols; the REST 401 otherwise. */
export type Authenticate = (req: IncomingMessage, offered: readonly string[]) => Promise<SocketCaller>;

export interface HandshakeOptions {
  corsOrigins: readonly string[];
  connections: Connections;
  authenticate?: Authenticate | undefined;
}

/** The subprotocols a client offered, in its order. */
export function offeredProtocols(req: IncomingMessage): string[] {
  const header = req.headers["sec-websocket-protocol"] ?? "";
  return header
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
}

/**
 * The caller when signed in, undefined without sign-in (or when the protocol signs
 * in after the upgrade); throws the AppError that refuses the upgrade.
 */
export async function checkHandshake(
  req: IncomingMessage,
  options: HandshakeOptions,
  subprotocol = SUBPROTOCOL,
): Promise<SocketCaller | undefined> {
  // A browser always names the page's origin; a client without one is not a browser.
  const origin = req.headers.origin;
  if (origin !== undefined && !options.corsOrigins.includes(origin)) {
    throw new AppError("origin_not_allowed", 403, `Origin ${origin} is not allowed.`);
  }
  const offered = offeredProtocols(req);
  if (!offered.includes(subprotocol)) {
    throw new AppError("subprotocol_required", 400, `Offer the WebSocket subprotocol ${subprotocol}.`);
  }
  const caller = await options.authenticate?.(req, offered);
  // Last, and with nothing awaited after it: the socket is counted in the same turn.
  if (!options.connections.hasRoom()) {
    throw new AppError("too_many_connections", 503, "Too many open WebSocket connections; try again shortly.", {
      headers: { "Retry-After": "1" },
    });
  }
  return caller;
}

/** What the app's error handlers make of `err` (the database away is a 503), or a 500. */
export function refusalFor(err: unknown, req: IncomingMessage, logger: Logger, requestId: string): AppError {
  let current = err;
  // A response the handlers may look at; the refusal itself is written on the raw connection.
  const res = new ServerResponse(req);
  for (const handler of TASKS.flatMap((task) => task.errorHandlers ?? [])) {
    handler(current, req as Request, res as Response, (next?: unknown) => {
      current = next;
    });
  }
  if (current instanceof AppError) return current;
  logger.error({ err, request_id: requestId }, "request failed");
  return new AppError("internal_error", 500, "An unexpected error occurred.");
}

/** Answer the upgrade request with `error` as a problem, then close the connection. */
export function refuse(socket: Duplex, error: AppError, requestId: string): void {
  const body = JSON.stringify(problemOf(error));
  const headers: Record<string, string> = {
    Connection: "close",
    "Content-Type": "application/problem+json",
    "Content-Length": String(Buffer.byteLength(body)),
    [REQUEST_ID_HEADER]: requestId,
    ...error.headers,
  };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.once("finish", () => socket.destroy());
  socket.end(`HTTP/1.1 ${error.status} ${titleFor(error.status)}\r\n${head.join("")}\r\n${body}`);
}
