"""Helpers for the WebSocket contract tests: the URL, handshakes, messages and close codes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import jsonschema
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Origin, Subprotocol

from contract.graphql import Caller

PATH = "/ws/v1/events"
SUBPROTOCOL = "events.v1"
# The per-process limit the live server runs with (tests/test_generated_projects.py sets it):
# low, so the limit test reaches it with a handful of sockets.
MAX_CONNECTIONS = 8
SERVER_SETTINGS = {"WS_MAX_CONNECTIONS": str(MAX_CONNECTIONS)}
MAX_MESSAGE_BYTES = 64 * 1024
GOING_AWAY = 1001
UNSUPPORTED_DATA = 1003
MESSAGE_TOO_BIG = 1009
TIMEOUT = 10.0

# The one schema of the messages, as both trees carry it.
SCHEMA: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[2] / "template/shared/websocket/events.schema.json").read_text()
)
_SERVER = jsonschema.Draft202012Validator(
    {"$defs": SCHEMA["$defs"], "$ref": "#/$defs/server"},
    format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
)


def ws_url(base_url: str) -> str:
    parts = urlsplit(base_url)
    return f"ws://{parts.netloc}{PATH}"


def server_message(text: str | bytes) -> dict[str, Any]:
    """A message from the server: a JSON text frame valid against the shared schema."""
    assert isinstance(text, str), f"a binary frame from the server: {text!r}"
    message = json.loads(text)
    _SERVER.validate(message)
    assert isinstance(message, dict)
    return message


def connect_events(
    base_url: str,
    *,
    subprotocols: list[str] | None = None,
    headers: dict[str, str] | None = None,
    origin: str | None = None,
) -> ClientConnection:
    """A handshake as given: the subprotocols and headers are sent as they are."""
    return connect(
        ws_url(base_url),
        subprotocols=[Subprotocol(name) for name in ([SUBPROTOCOL] if subprotocols is None else subprotocols)],
        additional_headers=headers or {},
        origin=None if origin is None else Origin(origin),
        open_timeout=TIMEOUT,
        close_timeout=TIMEOUT,
        max_size=None,
    )


def refusal(error: InvalidStatus) -> httpx.Response:
    """The HTTP response a handshake was refused with, as httpx would read it."""
    response = error.response
    return httpx.Response(
        response.status_code,
        headers=list(response.headers.raw_items()),
        content=bytes(response.body or b""),
    )


def closed_with(connection: ClientConnection) -> int:
    """Read until the server closes the socket; its close code. Events on the way are ignored."""
    try:
        while True:
            connection.recv(timeout=TIMEOUT)
    except ConnectionClosed:
        pass
    except TimeoutError:
        raise AssertionError(f"the server did not close the socket within {TIMEOUT} s") from None
    received = connection.protocol.close_rcvd
    assert received is not None, "closed without a close frame from the server"
    return int(received.code)


@contextmanager
def open_events_socket(base_url: str, tasks: tuple[str, ...] | frozenset[str]) -> Iterator[ClientConnection]:
    """A socket of a new caller (signed in with auth) that has answered a ping."""
    with httpx.Client(base_url=base_url, timeout=TIMEOUT) as client:
        caller = Caller(client, frozenset(tasks))
    with connect_events(base_url, headers=caller.headers) as connection:
        connection.send(json.dumps({"type": "ping"}))
        assert server_message(connection.recv(timeout=TIMEOUT)) == {"type": "pong"}
        yield connection
