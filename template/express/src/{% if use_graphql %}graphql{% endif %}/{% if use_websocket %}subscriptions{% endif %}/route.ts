// GET /graphql upgraded to a WebSocket that speaks graphql-transport-ws: the
// handshake checked as for every socket of the service, then the protocol (the
// graphql-ws library) over the ws socket, counted, pinged and closed at
// shut-down with the others. Signing in rides in connection_init; each
// subscribe is checked in full before anything subscribes.
import type { IncomingMessage } from "node:http";

import { GraphQLError, subscribe, type ExecutionArgs } from "graphql/index.js";
import { CloseCode, GRAPHQL_TRANSPORT_WS_PROTOCOL, makeServer, type Context } from "graphql-ws";
import type { Logger } from "pino";
import { WebSocket, WebSocketServer } from "ws";

import type { Connections } from "../../websocket/connections.js";
import { MAX_MESSAGE_BYTES, textOf } from "../../websocket/endpoint.js";
import { checkHandshake, refusalFor, refuse, type SocketCaller } from "../../websocket/handshake.js";
import { logLifetime, runAt, type SocketLogFields } from "../../websocket/lifetime.js";
import type { UpgradeRoute } from "../../websocket/upgrades.js";
import type { DocumentOptions } from "../documents.js";
import { INTERNAL_MESSAGE, type ErrorBody } from "../errors.js";
import { subscriptionCheck } from "./checks.js";
import type { PostEventFeed } from "./feed.js";
import type { SubscriptionContext } from "./post-events.js";

/** Operations open at once on one socket. */
const MAX_OPERATIONS = 10;
const CONNECTION_INIT_WAIT_MS = 3_000;
const TRY_AGAIN_LATER = 1013;
const INTERNAL_ERROR = 1011;
const TOKEN_EXPIRED = 4401;

export interface SubscriptionOptions extends DocumentOptions {
  logger: Logger;
  corsOrigins: readonly string[];
  connections: Connections;
  feed: PostEventFeed;
  /** The caller connection_init's Authorization names, when the service signs callers in. */
  authenticate?: ((authorization: string | undefined) => Promise<SocketCaller>) | undefined;
}

/** What the protocol keeps of each socket. */
interface SocketState {
  socket: WebSocket;
  req: IncomingMessage;
  who: SocketLogFields;
  cancelExpiry?: () => void;
}

/** Closes `socket` unless it is closing already (the library may close it after we did). */
function closeOnce(socket: WebSocket, code: number, reason: string): void {
  if (socket.readyState === WebSocket.OPEN) socket.close(code, reason);
}

/** The connection_init payload's Authorization, its key in any case (as an HTTP header's). */
function authorizationOf(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const key = Object.keys(params ?? {}).find((name) => name.toLowerCase() === "authorization");
  const value = key === undefined ? undefined : params?.[key];
  return typeof value === "string" ? value : undefined;
}

export function subscriptionsRoute(options: SubscriptionOptions): UpgradeRoute {
  const { schema, logger, connections, feed, authenticate } = options;
  const check = subscriptionCheck(options);
  // The errors a refusal was sent with, as the service writes them (locations kept).
  const bodies = new WeakMap<GraphQLError, ErrorBody>();
  const refused = (errors: ErrorBody[]): GraphQLError[] =>
    errors.map((body) => {
      const error = new GraphQLError(body.message, { extensions: body.extensions });
      bodies.set(error, body);
      return error;
    });

  const signIn = async ({ socket, req, who }: SocketState, params: Context["connectionParams"]) => {
    if (!authenticate) return true;
    try {
      const caller = await authenticate(authorizationOf(params));
      who.user_id = caller.userId;
      return caller;
    } catch (err) {
      const refusal = refusalFor(err, req, logger, who.request_id);
      // The storage away is no verdict on the token: the client may try again.
      if (refusal.status === 503) closeOnce(socket, TRY_AGAIN_LATER, "Try again later");
      else if (refusal.status >= 500) closeOnce(socket, INTERNAL_ERROR, "Internal server error");
      return false;
    }
  };

  const server = makeServer<Record<string, unknown>, SocketState>({
    connectionInitWaitTimeout: CONNECTION_INIT_WAIT_MS,
    // The engine copy the schema was built with, whichever copy the library would load.
    subscribe: (args: ExecutionArgs) => subscribe(args),
    onConnect: async (ctx) => {
      const state = ctx.extra;
      const caller = await signIn(state, ctx.connectionParams);
      if (typeof caller === "object" && state.socket.readyState === WebSocket.OPEN) {
        state.cancelExpiry = runAt(caller.expiresAt, () => {
          closeOnce(state.socket, TOKEN_EXPIRED, "The access token has expired.");
        });
      }
      return caller !== false;
    },
    onSubscribe: (ctx, _id, payload) => {
      const checked = check(payload);
      if ("errors" in checked) return refused(checked.errors);
      // This operation's own id is among them already.
      if (Object.keys(ctx.subscriptions).length > MAX_OPERATIONS) {
        return refused([
          { message: `At most ${MAX_OPERATIONS} subscriptions per socket.`, extensions: { code: "BAD_REQUEST" } },
        ]);
      }
      const { socket } = ctx.extra;
      const contextValue: SubscriptionContext = {
        events: () =>
          feed.open(checked.authorId, () => {
            closeOnce(socket, TRY_AGAIN_LATER, "Too slow: events were dropped");
          }),
      };
      return {
        schema,
        document: checked.document,
        operationName: payload.operationName,
        variableValues: payload.variables,
        contextValue,
      };
    },
    onError: (ctx, _id, _payload, errors) =>
      errors.map((error) => {
        const body = bodies.get(error);
        if (body) return body;
        logger.error(
          { err: error.originalError ?? error, request_id: ctx.extra.who.request_id },
          "subscription failed",
        );
        return { message: INTERNAL_MESSAGE, extensions: { code: "INTERNAL_SERVER_ERROR" } };
      }),
  });

  const ws = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    clientTracking: false,
    // The handshake has checked that it is offered.
    handleProtocols: () => GRAPHQL_TRANSPORT_WS_PROTOCOL,
  });

  const serve = (socket: WebSocket, req: IncomingMessage, requestId: string): void => {
    connections.add(socket, { events: false });
    const state: SocketState = { socket, req, who: { request_id: requestId } };
    logLifetime(logger, socket, state.who, () => state.cancelExpiry?.());
    const closed = server.opened(
      {
        protocol: socket.protocol,
        // Resolved once written out: the library sends a subscription's next event only then.
        send: (data) =>
          new Promise<void>((resolve) => {
            if (socket.readyState !== WebSocket.OPEN) resolve();
            else
              socket.send(data, () => {
                resolve();
              });
          }),
        close: (code, reason) => {
          closeOnce(socket, code ?? CloseCode.BadRequest, reason ?? "");
        },
        onMessage: (handle) => {
          socket.on("message", (data, isBinary) => {
            if (isBinary) {
              closeOnce(socket, CloseCode.BadRequest, "Binary messages are not accepted");
              return;
            }
            handle(textOf(data)).catch((err: unknown) => {
              logger.error({ err, request_id: requestId }, "subscription message failed");
              closeOnce(socket, INTERNAL_ERROR, "Internal server error");
            });
          });
        },
      },
      state,
    );
    socket.once("close", (code, reason) => {
      void closed(code, reason.toString());
    });
  };

  return (req, socket, head, requestId) => {
    // No caller at the upgrade: the token comes in connection_init.
    checkHandshake(req, { corsOrigins: options.corsOrigins, connections }, GRAPHQL_TRANSPORT_WS_PROTOCOL).then(
      () => {
        ws.handleUpgrade(req, socket, head, (opened) => {
          serve(opened, req, requestId);
        });
      },
      (err: unknown) => {
        refuse(socket, refusalFor(err, req, logger, requestId), requestId);
      },
    );
  };
}
