"""uvicorn's WebSocket protocol (websockets' sans-I/O one), reading an empty offer as none.

A client may send ``Sec-WebSocket-Protocol:`` with nothing in it when it offers no
subprotocol. The websockets library refuses that header with a plain-text 400 before the
app sees the handshake; dropped here, it is answered as any handshake without
``events.v1``: with the 400 problem (``handshake.py``).
"""

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.http11 import Request

_SUBPROTOCOLS = "Sec-WebSocket-Protocol"


class EventsProtocol(WebSocketsSansIOProtocol):
    def handle_connect(self, event: Request) -> None:
        offers = event.headers.get_all(_SUBPROTOCOLS)
        if any(not offer.strip() for offer in offers):
            del event.headers[_SUBPROTOCOLS]
            for offer in offers:
                if offer.strip():
                    event.headers[_SUBPROTOCOLS] = offer
        super().handle_connect(event)
