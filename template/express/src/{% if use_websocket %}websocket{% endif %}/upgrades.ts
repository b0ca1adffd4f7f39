// The HTTP server's one `upgrade` listener: each WebSocket path has its route,
// registered by the API style that serves it; any other path is the REST 404.
// An upgrade request to a route counts against its client's rate limit first,
// in the API's window, before any of the route's own checks (as an API request
// counts even when it is refused later).
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";

import type { Express, Request } from "express";
import type { Logger } from "pino";
import type { RateLimiterAbstract } from "rate-limiter-flexible";

import { AppError } from "../core/errors.js";
import { countRequest } from "../core/limits.js";
import { requestIdOf } from "../core/request-id.js";
import { refusalFor, refuse } from "./handshake.js";

/** What serves the upgrade requests of one path: checks the handshake, then opens the socket or refuses. */
export type UpgradeRoute = (req: IncomingMessage, socket: Duplex, head: Buffer, requestId: string) => void;

export interface UpgradeOptions {
  /** The app the server serves: its trust proxy setting names the client, as `req.ip` does. */
  app: Express;
  /** The API's rate-limit counter. */
  rateLimiter: RateLimiterAbstract;
  logger: Logger;
}

/** The client of an upgrade request, which the app never sees, exactly as `req.ip` names an API request's. */
function clientAddress(app: Express, req: IncomingMessage): string {
  // The request seen through the app's request prototype, whose `ip` reads the app's settings.
  const view = Object.create(app.request, {
    headers: { value: req.headers },
    socket: { value: req.socket },
  }) as Request;
  return view.ip ?? "unknown";
}

export function routeUpgrades(
  routes: ReadonlyMap<string, UpgradeRoute>,
  { app, rateLimiter, logger }: UpgradeOptions,
): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (req, socket, head) => {
    const requestId = requestIdOf(req.headers);
    // Errors of the raw connection before ws takes it over: the client went away.
    socket.on("error", () => socket.destroy());
    const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
    const route = routes.get(path);
    if (!route) {
      refuse(socket, new AppError("not_found", 404, `No resource at ${req.method ?? "GET"} ${path}.`), requestId);
      return;
    }
    countRequest(rateLimiter, logger, clientAddress(app, req)).then(
      () => {
        route(req, socket, head, requestId);
      },
      (err: unknown) => {
        refuse(socket, refusalFor(err, req, logger, requestId), requestId);
      },
    );
  };
}
