"""GET /graphql with a WebSocket upgrade: GraphQL subscriptions over graphql-transport-ws.

Refused before the upgrade as GET /ws/v1/events is (an ``Origin`` not allowed, the
subprotocol not offered, no place among WS_MAX_CONNECTIONS, which both kinds of socket
share); the token, if any, comes later, in ``connection_init``.
"""

from typing import TYPE_CHECKING

from starlette.types import Receive, Scope, Send

from ...websocket.endpoint import serve_socket, socket_request
from ...websocket.handshake import first_refusal
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
        with socket_request(scope):
            refused = await first_refusal(websocket, SUBPROTOCOL)
            if refused is not None:
                await websocket.send_denial_response(refused)
                return
            connections: Connections = websocket.app.state.websocket_connections
            websocket.socket = SubscriptionSocket(connections.queue_size)
            workers = [self.handler.serve(websocket)]
            await serve_socket(websocket, websocket.socket, SUBPROTOCOL, workers)
