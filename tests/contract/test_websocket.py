"""GET /ws/v1/events: the events.v1 subprotocol, its refusals before the upgrade and its close codes.

Every server message is checked against the schema both trees carry
(template/shared/websocket/events.schema.json).
"""

from __future__ import annotations

import json
import time
import uuid
from contextlib import ExitStack
from typing import Any

import httpx
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection

from contract.graphql import Caller
from contract.problems import assert_problem
from contract.websocket import (
    MAX_CONNECTIONS,
    MAX_MESSAGE_BYTES,
    MESSAGE_TOO_BIG,
    PATH,
    SUBPROTOCOL,
    TIMEOUT,
    UNSUPPORTED_DATA,
    closed_with,
    connect_events,
    refusal,
    server_message,
)


def send(connection: ClientConnection, message: dict[str, Any]) -> None:
    connection.send(json.dumps(message))


def event_of(connection: ClientConnection, post_id: str) -> dict[str, Any]:
    """The next event about this post; events about other posts (earlier tests') are passed over."""
    while True:
        message = server_message(connection.recv(timeout=TIMEOUT))
        if message["type"].startswith("post.") and message["post"]["id"] == post_id:
            return message


def refused(
    base_url: str, *, headers: dict[str, str], subprotocols: list[str] | None = None, origin: str | None = None
) -> httpx.Response:
    with pytest.raises(InvalidStatus) as raised:
        connect_events(base_url, headers=headers, subprotocols=subprotocols, origin=origin).close()
    return refusal(raised.value)


def test_a_socket_speaks_events_v1_and_answers_pings(base_url: str, caller: Caller) -> None:
    with connect_events(base_url, headers=caller.headers) as connection:
        assert connection.subprotocol == SUBPROTOCOL
        for _ in range(2):
            send(connection, {"type": "ping"})
            assert server_message(connection.recv(timeout=TIMEOUT)) == {"type": "pong"}


def test_each_write_reaches_an_open_socket_as_rest_serves_it(base_url: str, caller: Caller) -> None:
    with connect_events(base_url, headers=caller.headers) as connection:
        created = caller.create_post(title="Live", body="First.")
        event = event_of(connection, created["id"])
        assert (event["type"], event["post"]) == ("post.created", created)

        changed = caller.client.patch(
            f"/api/v1/posts/{created['id']}", json={"title": "Live, changed"}, headers=caller.headers
        )
        assert changed.status_code == 200, changed.text
        update = event_of(connection, created["id"])
        assert (update["type"], update["post"]) == ("post.updated", changed.json())

        removed = caller.client.delete(f"/api/v1/posts/{created['id']}", headers=caller.headers)
        assert removed.status_code == 204, removed.text
        deletion = event_of(connection, created["id"])
        assert (deletion["type"], deletion["post"]) == ("post.deleted", {"id": created["id"]})
    # Each event has an id of its own.
    assert len({event["id"], update["id"], deletion["id"]}) == 3
    assert all(uuid.UUID(message["id"]).version == 4 for message in (event, update, deletion))


def test_a_failed_write_publishes_nothing(base_url: str, caller: Caller) -> None:
    with connect_events(base_url, headers=caller.headers) as connection:
        post = caller.create_post(title="Before the failures")
        event_of(connection, post["id"])
        missing = str(uuid.uuid4())
        for response in (
            caller.client.patch(f"/api/v1/posts/{post['id']}", json={"title": ""}, headers=caller.headers),
            caller.client.patch(f"/api/v1/posts/{missing}", json={"title": "x"}, headers=caller.headers),
            caller.client.delete(f"/api/v1/posts/{missing}", headers=caller.headers),
        ):
            assert response.status_code in {404, 422}, response.text
        changed = caller.client.patch(f"/api/v1/posts/{post['id']}", json={"title": "After"}, headers=caller.headers)
        assert changed.status_code == 200, changed.text
        # Everything sent meanwhile: nothing about the failed writes.
        seen = []
        while (message := server_message(connection.recv(timeout=TIMEOUT)))["post"]["id"] != post["id"]:
            seen.append(message)
        assert (message["type"], message["post"]) == ("post.updated", changed.json())
        assert missing not in {event["post"]["id"] for event in seen}


def _messages_until_pong(connection: ClientConnection) -> list[dict[str, Any]]:
    send(connection, {"type": "ping"})
    messages = []
    while (message := server_message(connection.recv(timeout=TIMEOUT))) != {"type": "pong"}:
        messages.append(message)
    return messages


def test_subscribe_keeps_one_authors_events(
    base_url: str, client: httpx.Client, tasks: frozenset[str], caller: Caller
) -> None:
    other = Caller(client, tasks)
    with connect_events(base_url, headers=caller.headers) as connection:
        send(connection, {"type": "subscribe", "author_id": caller.user["id"]})
        assert server_message(connection.recv(timeout=TIMEOUT)) == {
            "type": "subscribed",
            "author_id": caller.user["id"],
        }
        theirs = other.create_post(title="Not for this socket")
        mine = caller.create_post(title="For this socket")
        seen = [event_of(connection, mine["id"])]
        # Whatever was on its way by now has arrived: none of it is the other author's.
        time.sleep(0.3)
        seen += _messages_until_pong(connection)
        assert [message["post"]["id"] for message in seen] == [mine["id"]]

        # null: every author again.
        send(connection, {"type": "subscribe", "author_id": None})
        assert server_message(connection.recv(timeout=TIMEOUT)) == {"type": "subscribed", "author_id": None}
        again = other.create_post(title="Now for this socket")
        assert event_of(connection, again["id"])["type"] == "post.created"
        assert theirs["id"] != again["id"]


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '"ping"',
        '{"type": "shout"}',
        '{"type": "ping", "extra": 1}',
        '{"type": "subscribe", "author_id": "not-a-uuid"}',
        '{"author_id": null}',
    ],
)
def test_an_invalid_message_gets_an_error_and_the_socket_stays_open(base_url: str, caller: Caller, text: str) -> None:
    with connect_events(base_url, headers=caller.headers) as connection:
        connection.send(text)
        error = server_message(connection.recv(timeout=TIMEOUT))
        assert (error["type"], error["code"]) == ("error", "invalid_message")
        assert _messages_until_pong(connection) == []


def test_a_binary_frame_closes_with_1003(base_url: str, caller: Caller) -> None:
    with connect_events(base_url, headers=caller.headers) as connection:
        connection.send(b'{"type": "ping"}')
        assert closed_with(connection) == UNSUPPORTED_DATA


def test_64_kib_is_read_and_one_byte_more_closes_with_1009(base_url: str, caller: Caller) -> None:
    with connect_events(base_url, headers=caller.headers) as connection:
        connection.send("x" * MAX_MESSAGE_BYTES)
        assert server_message(connection.recv(timeout=TIMEOUT))["code"] == "invalid_message"
        connection.send("x" * (MAX_MESSAGE_BYTES + 1))
        assert closed_with(connection) == MESSAGE_TOO_BIG


def test_an_origin_not_allowed_is_refused_with_403(base_url: str, caller: Caller, cors_origin: str) -> None:
    answer = refused(base_url, headers=caller.headers, origin="https://elsewhere.example")
    assert_problem(answer, 403, "Forbidden")
    # The allowed origin, and no origin at all (not a browser), are let in.
    for origin in (cors_origin, None):
        with connect_events(base_url, headers=caller.headers, origin=origin) as connection:
            assert connection.subprotocol == SUBPROTOCOL


@pytest.mark.parametrize("subprotocols", [[], ["events.v2"]])
def test_without_events_v1_the_upgrade_is_refused_with_400(
    base_url: str, caller: Caller, subprotocols: list[str]
) -> None:
    assert_problem(refused(base_url, headers=caller.headers, subprotocols=subprotocols), 400, "Bad Request")


def test_the_token_rides_in_a_header_or_a_bearer_subprotocol(
    base_url: str, tasks: frozenset[str], caller: Caller
) -> None:
    if "auth" not in tasks:
        # Without auth, events are open as REST is.
        with connect_events(base_url) as connection:
            assert connection.subprotocol == SUBPROTOCOL
        return
    for headers, subprotocols in (
        ({}, [SUBPROTOCOL]),
        ({"Authorization": "Bearer not-a-token"}, [SUBPROTOCOL]),
        ({"Authorization": "Basic abc"}, [SUBPROTOCOL]),
        ({}, [SUBPROTOCOL, "bearer.not-a-token"]),
    ):
        answer = refused(base_url, headers=headers, subprotocols=subprotocols)
        assert_problem(answer, 401, "Unauthorized")
        assert answer.headers["www-authenticate"].startswith("Bearer")
    token = caller.headers["Authorization"].removeprefix("Bearer ")
    with connect_events(base_url, subprotocols=[SUBPROTOCOL, f"bearer.{token}"]) as connection:
        # The token is never echoed back: the server picks events.v1.
        assert connection.subprotocol == SUBPROTOCOL
        send(connection, {"type": "ping"})
        assert server_message(connection.recv(timeout=TIMEOUT)) == {"type": "pong"}


def _open_until_refused(base_url: str, headers: dict[str, str], stack: ExitStack) -> tuple[int, InvalidStatus | None]:
    for opened in range(MAX_CONNECTIONS + 1):
        try:
            stack.enter_context(connect_events(base_url, headers=headers))
        except InvalidStatus as error:
            return opened, error
    return MAX_CONNECTIONS + 1, None


def test_over_ws_max_connections_the_upgrade_is_refused_with_503(base_url: str, caller: Caller) -> None:
    # Sockets of earlier tests may still be closing on the server: try again until none is.
    for _attempt in range(5):
        with ExitStack() as stack:
            opened, error = _open_until_refused(base_url, caller.headers, stack)
            assert error is not None, f"{opened} sockets opened; WS_MAX_CONNECTIONS is {MAX_CONNECTIONS}"
            if opened == MAX_CONNECTIONS:
                answer = refusal(error)
                assert_problem(answer, 503, "Service Unavailable")
                assert answer.headers["retry-after"] == "1"
                break
        time.sleep(0.5)
    else:
        pytest.fail(f"the limit was reached with fewer than {MAX_CONNECTIONS} sockets of this test")
    # Closed sockets free their places.
    deadline = time.monotonic() + TIMEOUT
    while True:
        try:
            with connect_events(base_url, headers=caller.headers) as connection:
                assert connection.subprotocol == SUBPROTOCOL
                return
        except InvalidStatus:
            assert time.monotonic() < deadline, "no place came free after every socket closed"
            time.sleep(0.1)


def test_a_plain_request_is_told_to_upgrade_with_426(client: httpx.Client, caller: Caller) -> None:
    answer = client.get(PATH, headers=caller.headers)
    assert_problem(answer, 426, "Upgrade Required")
    assert answer.headers["upgrade"].lower() == "websocket"
