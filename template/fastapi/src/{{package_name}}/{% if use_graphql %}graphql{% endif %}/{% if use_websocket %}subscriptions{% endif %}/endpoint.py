"""GET /graphql with a WebSocket upgrade: GraphQL subscriptions over graphql-transport-ws.

Refused before the upgrade as GET /ws/v1/events is (an ``Origin`` not allowed, the
subprotocol not offered, no place among WS_MAX_CONNECTIONS, which both kinds of socket
share); the token, if any, comes later, in ``connection_init``.
"""

import uuid
from typing import TYPE_CHECKING

from starlette.types import Receive, Scope, Send

from ...core.logging import RequestContext, request_context
from ...core.middleware import incoming_request_id
from ...websocket.endpoint import serve_socket
from ...websocket.handshake import first_refusal, too_many
from .feed import SubscriptionSocket
from .handler import SUBPROTOCOL, SubscriptionsHandler, SubscriptionWebSocket

if TYPE_CHECKING:
    from ...websocket.connections import Connections


class SubscriptionsEndpoint:
    """The route's ASGI app: it builds the socket itself, whose closes it records."""

    def __init__(self, handler: SubscriptionsHandler) -> None:
        self.handler = handler

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        websocket = SubscriptionWebSocket(scope, receive, send)
        # The request id of the log lines: the client's when valid, as for REST requests.
        token = request_context.set(RequestContext(incoming_request_id(scope) or str(uuid.uuid4())))
        try:
            refused = first_refusal(websocket, SUBPROTOCOL)
            if refused is not None:
                await websocket.send_denial_response(refused)
                return
            connections: Connections = websocket.app.state.websocket_connections
            with connections.reserve(SubscriptionSocket(connections.queue_size)) as socket:
                if socket is None:
                    await websocket.send_denial_response(too_many())
                    return
                websocket.socket = socket
                await serve_socket(websocket, socket, SUBPROTOCOL, [self.handler.serve(websocket)])
        finally:
            request_context.reset(token)
