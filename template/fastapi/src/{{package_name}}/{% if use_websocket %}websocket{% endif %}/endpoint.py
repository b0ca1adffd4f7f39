"""GET /ws/v1/events: the upgrade, and the loop of each socket.

Each socket runs a reader (the client's messages, answered in order), a writer (the
socket's queue: answers and events) and, with a token, a timer at its expiry; whichever
ends the socket first sets its close code, and the socket is closed with it here.
"""

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Coroutine, Iterator
from typing import Any

from fastapi import APIRouter, WebSocket
from starlette.responses import Response
from starlette.types import Scope

from ..core.logging import RequestContext, request_context
from ..core.middleware import incoming_request_id
from . import messages
from .connections import (
    INTERNAL_ERROR,
    TOKEN_EXPIRED,
    UNSUPPORTED_DATA,
    Connection,
    Connections,
    Socket,
)
from .handshake import SUBPROTOCOL, check, refusal, too_many

logger = logging.getLogger(__name__)

EVENTS_PATH = "/ws/v1/events"
# Client messages up to this size are read; a larger one closes the socket with 1009.
MAX_MESSAGE_BYTES = 64 * 1024

router = APIRouter()


@router.get(EVENTS_PATH, include_in_schema=False)
async def upgrade_required() -> Response:
    """A plain HTTP request where a WebSocket upgrade was expected."""
    detail = f"Connect with a WebSocket upgrade (subprotocol {SUBPROTOCOL})."
    return refusal(426, detail, headers={"Upgrade": "websocket"})


@router.websocket(EVENTS_PATH)
async def events(websocket: WebSocket) -> None:
    with socket_request(websocket.scope):
        admitted = await check(websocket)
        if isinstance(admitted, Response):
            await websocket.send_denial_response(admitted)
            return
        connection = Connection(websocket.app.state.websocket_connections.queue_size)
        workers = [_read(websocket, connection), _write(websocket, connection)]
        if admitted.expires_at is not None:
            workers.append(expire(connection, admitted.expires_at))
        await serve_socket(websocket, connection, SUBPROTOCOL, workers)


@contextlib.contextmanager
def socket_request(scope: Scope) -> Iterator[None]:
    """The request context of a socket's log lines: the client's request id when valid."""
    token = request_context.set(RequestContext(incoming_request_id(scope) or str(uuid.uuid4())))
    try:
        yield
    finally:
        request_context.reset(token)


async def serve_socket(
    websocket: WebSocket,
    socket: Socket,
    subprotocol: str,
    workers: list[Coroutine[Any, Any, None]],
) -> None:
    """Serve ``socket`` in a place among WS_MAX_CONNECTIONS; 503 when there is none.

    Accepted, it runs its workers until one of them (or a shutdown) ends it. The socket is
    closed here only, with the code whatever ended it chose.
    """
    connections: Connections = websocket.app.state.websocket_connections
    with connections.reserve(socket) as reserved:
        if reserved is None:
            for worker in workers:
                worker.close()  # never started
            await websocket.send_denial_response(too_many())
            return
        await _run(websocket, socket, subprotocol, workers)


async def _run(
    websocket: WebSocket,
    socket: Socket,
    subprotocol: str,
    workers: list[Coroutine[Any, Any, None]],
) -> None:
    await websocket.accept(subprotocol=subprotocol)
    context = request_context.get()
    logger.info("websocket opened", extra=_user(context))
    began = time.perf_counter()
    tasks = [asyncio.create_task(worker) for worker in workers]
    closing = asyncio.create_task(socket.closing.wait())
    try:
        await asyncio.wait([closing, *tasks], return_when=asyncio.FIRST_COMPLETED)
        if not socket.closing.is_set():
            # A worker ended without saying how the socket ends: a bug, logged once.
            failed = [task.exception() for task in tasks if task.done()]
            logger.error("websocket worker failed", exc_info=next(filter(None, failed), None))
            socket.close(INTERNAL_ERROR, "Internal error")
    finally:
        closing.cancel()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if not socket.peer_gone:
            # The peer may be gone meanwhile: nothing more to tell it then. (The class's
            # own close: a subclass may route its close calls to ``socket.close``.)
            with contextlib.suppress(Exception):
                await WebSocket.close(websocket, socket.close_code, socket.close_reason)
        duration_ms = round((time.perf_counter() - began) * 1000, 3)
        extra = {"code": socket.close_code, "duration_ms": duration_ms, **_user(context)}
        logger.info("websocket closed", extra=extra)


def _user(context: RequestContext | None) -> dict[str, str]:
    """The caller's id for a log line, once known."""
    user_id = None if context is None else context.user_id
    return {} if user_id is None else {"user_id": user_id}


async def _read(websocket: WebSocket, connection: Connection) -> None:
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            connection.lost(int(message.get("code", 1005)))
            return
        text = message.get("text")
        if text is None:
            connection.close(UNSUPPORTED_DATA, "events.v1 speaks JSON in text frames only.")
            return
        connection.send(_answer(connection, text))


def _answer(connection: Connection, text: str) -> str:
    request = messages.parse(text)
    if isinstance(request, messages.Invalid):
        return messages.error(request.detail)
    if isinstance(request, messages.Subscribe):
        connection.author_id = request.author_id
        return messages.subscribed(request.author_id)
    return messages.PONG


async def _write(websocket: WebSocket, connection: Connection) -> None:
    try:
        while True:
            await websocket.send_text(await connection.queue.get())
    except Exception:  # noqa: BLE001  (whatever the server raises, the peer is gone)
        connection.lost(1006)


async def expire(socket: Socket, expires_at: int) -> None:
    """Close ``socket`` with 4401 when its access token expires (``exp``, epoch seconds)."""
    await asyncio.sleep(max(0.0, expires_at - time.time()))
    socket.close(TOKEN_EXPIRED, "The access token has expired.")
