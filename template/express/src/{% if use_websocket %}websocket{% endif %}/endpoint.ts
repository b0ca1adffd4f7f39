// GET /ws/v1/events: its upgrade route (ws in noServer mode, so the handshake
// checks run first), and each socket's life: the client's messages read and
// answered, events written from its queue, its token's expiry.
import type { RequestHandler } from "express";
import type { Logger } from "pino";
import { WebSocketServer, type RawData, type WebSocket } from "ws";

import { AppError } from "../core/errors.js";
import { checkHandshake, refusalFor, refuse, type HandshakeOptions, type SocketCaller } from "./handshake.js";
import { logLifetime, runAt } from "./lifetime.js";
import { readClientMessage, SUBPROTOCOL } from "./messages.js";
import type { UpgradeRoute } from "./upgrades.js";

export const EVENTS_PATH = "/ws/v1/events";
/** The largest client message: 64 KiB. ws closes the socket with 1009 over it. */
export const MAX_MESSAGE_BYTES = 65_536;

const UNSUPPORTED_DATA = 1003;
const TOKEN_EXPIRED = 4401;

export interface EndpointOptions extends HandshakeOptions {
  logger: Logger;
}

/** A plain request to the endpoint: 426, naming the upgrade it needs. */
export const upgradeRequired: RequestHandler = () => {
  throw new AppError("upgrade_required", 426, `Connect with a WebSocket upgrade (subprotocol ${SUBPROTOCOL}).`, {
    headers: { Upgrade: "websocket" },
  });
};

/** A text frame's content, however ws handed it over. */
export function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString("utf8");
}

export function eventsEndpoint(options: EndpointOptions): UpgradeRoute {
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
    const cancelExpiry = caller
      ? runAt(caller.expiresAt, () => {
          socket.close(TOKEN_EXPIRED, "Access token expired");
        })
      : undefined;
    logLifetime(logger, socket, { request_id: requestId, ...(caller ? { user_id: caller.userId } : {}) }, cancelExpiry);

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
  };

  return (req, socket, head, requestId) => {
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
