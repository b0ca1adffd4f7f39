// GET /ws/v1/events: the upgrade handler on the HTTP server (ws in noServer mode,
// so the handshake checks run first), and each socket's life: the client's
// messages read and answered, events written from its queue, its token's expiry.
import type { IncomingMessage } from "node:http";
import { performance } from "node:perf_hooks";
import type { Duplex } from "node:stream";

import type { RequestHandler } from "express";
import type { Logger } from "pino";
import { WebSocketServer, type RawData, type WebSocket } from "ws";

import { AppError } from "../core/errors.js";
import { requestIdOf } from "../core/request-id.js";
import { checkHandshake, refusalFor, refuse, type HandshakeOptions, type SocketCaller } from "./handshake.js";
import { readClientMessage, SUBPROTOCOL } from "./messages.js";

export const EVENTS_PATH = "/ws/v1/events";
/** The largest client message: 64 KiB. ws closes the socket with 1009 over it. */
export const MAX_MESSAGE_BYTES = 65_536;

const UNSUPPORTED_DATA = 1003;
const TOKEN_EXPIRED = 4401;
// setTimeout's longest delay (about 24.8 days); a later expiry is waited for in steps.
const LONGEST_TIMER_MS = 2 ** 31 - 1;

export interface EndpointOptions extends HandshakeOptions {
  logger: Logger;
}

/** A plain request to the endpoint: 426, naming the upgrade it needs. */
export const upgradeRequired: RequestHandler = () => {
  throw new AppError("upgrade_required", 426, `Connect with a WebSocket upgrade (subprotocol ${SUBPROTOCOL}).`, {
    headers: { Upgrade: "websocket" },
  });
};

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString("utf8");
}

/** Run `action` at `at` (ms since the epoch); the returned function cancels it. */
function at(when: number, action: () => void): () => void {
  let timer: NodeJS.Timeout;
  const wait = (): void => {
    const left = when - Date.now();
    timer = left > LONGEST_TIMER_MS ? setTimeout(wait, LONGEST_TIMER_MS) : setTimeout(action, Math.max(0, left));
  };
  wait();
  return () => {
    clearTimeout(timer);
  };
}

export function eventsEndpoint(options: EndpointOptions): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  const { logger, connections } = options;
  const server = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    clientTracking: false,
    // The handshake has checked that events.v1 is offered; a bearer.<token> is never echoed.
    handleProtocols: () => SUBPROTOCOL,
  });

  const serve = (socket: WebSocket, requestId: string, caller: SocketCaller | undefined): void => {
    const subscriber = connections.add(socket);
    const opened = performance.now();
    const who = { request_id: requestId, ...(caller ? { user_id: caller.userId } : {}) };
    logger.info(who, "websocket opened");
    const cancelExpiry = caller
      ? at(caller.expiresAt, () => {
          socket.close(TOKEN_EXPIRED, "Access token expired");
        })
      : undefined;

    socket.on("message", (data, isBinary) => {
      if (isBinary) {
        socket.close(UNSUPPORTED_DATA, "Binary messages are not accepted");
        return;
      }
      const message = readClientMessage(textOf(data));
      if (message.type === "error") subscriber.reply(message);
      else if (message.type === "ping") subscriber.reply({ type: "pong" });
      else {
        subscriber.authorId = message.author_id ?? null;
        subscriber.reply({ type: "subscribed", author_id: subscriber.authorId });
      }
    });
    // A peer breaking the protocol (a message over the limit: 1009); ws closes the socket itself.
    socket.on("error", (err) => {
      logger.debug({ ...who, reason: err.message }, "websocket protocol error");
    });
    socket.once("close", (code) => {
      cancelExpiry?.();
      const duration = Math.round((performance.now() - opened) * 1000) / 1000;
      logger.info({ ...who, code, duration_ms: duration }, "websocket closed");
    });
  };

  return (req, socket, head) => {
    const requestId = requestIdOf(req.headers);
    // Errors of the raw connection before ws takes it over: the client went away.
    socket.on("error", () => socket.destroy());
    const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
    if (path !== EVENTS_PATH) {
      refuse(socket, new AppError("not_found", 404, `No resource at ${req.method ?? "GET"} ${path}.`), requestId);
      return;
    }
    checkHandshake(req, options).then(
      (caller) => {
        server.handleUpgrade(req, socket, head, (ws) => {
          serve(ws, requestId, caller);
        });
      },
      (err: unknown) => {
        refuse(socket, refusalFor(err, req, logger, requestId), requestId);
      },
    );
  };
}
