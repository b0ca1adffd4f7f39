"""Helpers for the GraphQL subscription contract tests: the graphql-transport-ws protocol.

The messages are the graphql-ws library's protocol (its PROTOCOL.md): connection_init and
connection_ack, subscribe, next, error and complete, ping and pong.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import httpx
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Origin, Subprotocol

from contract.graphql import Caller
from contract.websocket import TIMEOUT

PATH = "/graphql"
SUBPROTOCOL = "graphql-transport-ws"
# The protocol's close codes.
BAD_REQUEST = 4400
UNAUTHORIZED = 4401
FORBIDDEN = 4403
INIT_TIMEOUT = 4408
DUPLICATE_ID = 4409
TOO_MANY_INITS = 4429
MAX_SUBSCRIPTIONS = 10
# Every field of a post, and of a post event.
POST_FIELDS = "id title body author { id name } createdAt updatedAt"
EVENT_FIELDS = f"id kind occurredAt postId post {{ {POST_FIELDS} }}"
POST_EVENTS = f"subscription ($authorId: ID) {{ postEvents(authorId: $authorId) {{ {EVENT_FIELDS} }} }}"


def graphql_ws_url(base_url: str) -> str:
    return f"ws://{urlsplit(base_url).netloc}{PATH}"


def connect_graphql(
    base_url: str, *, subprotocols: list[str] | None = None, origin: str | None = None
) -> ClientConnection:
    """A handshake offering these subprotocols (graphql-transport-ws when not given)."""
    return connect(
        graphql_ws_url(base_url),
        subprotocols=[Subprotocol(name) for name in ([SUBPROTOCOL] if subprotocols is None else subprotocols)],
        origin=None if origin is None else Origin(origin),
        open_timeout=TIMEOUT,
        close_timeout=TIMEOUT,
        max_size=None,
    )


def send(connection: ClientConnection, message: dict[str, Any]) -> None:
    connection.send(json.dumps(message))


def receive(connection: ClientConnection) -> dict[str, Any]:
    text = connection.recv(timeout=TIMEOUT)
    assert isinstance(text, str), f"a binary frame from the server: {text!r}"
    message = json.loads(text)
    assert isinstance(message, dict)
    return message


def init_payload(caller: Caller) -> dict[str, str]:
    """connection_init's payload: the caller's token, as a browser client would send it."""
    return {"Authorization": caller.headers["Authorization"]} if caller.auth else {}


@contextmanager
def acknowledged(base_url: str, caller: Caller) -> Iterator[ClientConnection]:
    """A socket whose connection_init (with the caller's token) was acknowledged."""
    with connect_graphql(base_url) as connection:
        send(connection, {"type": "connection_init", "payload": init_payload(caller)})
        assert receive(connection) == {"type": "connection_ack"}
        yield connection


def subscribe(
    connection: ClientConnection, operation_id: str, query: str, variables: dict[str, Any] | None = None
) -> None:
    payload: dict[str, Any] = {"query": query} | ({} if variables is None else {"variables": variables})
    send(connection, {"id": operation_id, "type": "subscribe", "payload": payload})


def ponged(connection: ClientConnection) -> list[dict[str, Any]]:
    """Send a ping; the messages that came before its pong."""
    send(connection, {"type": "ping"})
    messages = []
    while (message := receive(connection)) != {"type": "pong"}:
        messages.append(message)
    return messages


def event_for(connection: ClientConnection, operation_id: str, post_id: str) -> dict[str, Any]:
    """The next event of this operation about this post; others (earlier tests' posts) are passed over."""
    while True:
        message = receive(connection)
        assert message["type"] == "next", message
        event: dict[str, Any] = message["payload"]["data"]["postEvents"]
        if message["id"] == operation_id and event["postId"] == post_id:
            assert set(message["payload"]) == {"data"}, message
            return event


@contextmanager
def open_subscription(base_url: str, tasks: tuple[str, ...] | frozenset[str]) -> Iterator[ClientConnection]:
    """A socket of a new caller (signed in with auth) with one postEvents subscription open."""
    with httpx.Client(base_url=base_url, timeout=TIMEOUT) as client:
        caller = Caller(client, frozenset(tasks))
    with acknowledged(base_url, caller) as connection:
        subscribe(connection, "events", POST_EVENTS)
        assert ponged(connection) == []
        yield connection
