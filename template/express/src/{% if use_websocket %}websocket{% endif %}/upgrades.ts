// The HTTP server's one `upgrade` listener: each WebSocket path has its route,
// registered by the API style that serves it; any other path is the REST 404.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";

import { AppError } from "../core/errors.js";
import { requestIdOf } from "../core/request-id.js";
import { refuse } from "./handshake.js";

/** What serves the upgrade requests of one path: checks the handshake, then opens the socket or refuses. */
export type UpgradeRoute = (req: IncomingMessage, socket: Duplex, head: Buffer, requestId: string) => void;

export function routeUpgrades(
  routes: ReadonlyMap<string, UpgradeRoute>,
): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (req, socket, head) => {
    const requestId = requestIdOf(req.headers);
    // Errors of the raw connection before ws takes it over: the client went away.
    socket.on("error", () => socket.destroy());
    const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
    const route = routes.get(path);
    if (route) route(req, socket, head, requestId);
    else refuse(socket, new AppError("not_found", 404, `No resource at ${req.method ?? "GET"} ${path}.`), requestId);
  };
}
