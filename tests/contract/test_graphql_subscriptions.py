"""Subscription.postEvents over graphql-transport-ws at /graphql: the same events as /ws/v1/events.

Runs where the server has both the graphql and the websocket styles.
"""

from __future__ import annotations

import time
import uuid
from contextlib import ExitStack

import httpx
import pytest
from websockets.exceptions import InvalidStatus

from contract.graphql import Caller, ok
from contract.problems import assert_problem
from contract.subscriptions import (
    BAD_REQUEST,
    DUPLICATE_ID,
    FORBIDDEN,
    INIT_TIMEOUT,
    MAX_SUBSCRIPTIONS,
    POST_EVENTS,
    POST_FIELDS,
    SUBPROTOCOL,
    TOO_MANY_INITS,
    UNAUTHORIZED,
    acknowledged,
    connect_graphql,
    event_for,
    init_payload,
    ponged,
    receive,
    send,
    subscribe,
)
from contract.websocket import (
    MAX_CONNECTIONS,
    MAX_MESSAGE_BYTES,
    MESSAGE_TOO_BIG,
    closed_with,
    connect_events,
    refusal,
    server_message,
)

POST = f"query ($id: ID!) {{ post(id: $id) {{ {POST_FIELDS} }} }}"
DELETE = "mutation ($id: ID!) { deletePost(id: $id) }"


def test_each_write_reaches_a_subscription_as_graphql_shows_the_post(base_url: str, caller: Caller) -> None:
    with acknowledged(base_url, caller) as connection, connect_events(base_url, headers=caller.headers) as events:
        subscribe(connection, "all", POST_EVENTS)
        assert ponged(connection) == []
        created = caller.create_post(title="Live", body="First.")
        event = event_for(connection, "all", created["id"])
        shown = ok(caller.graphql(POST, {"id": created["id"]}))["post"]
        assert (event["kind"], event["post"]) == ("CREATED", shown)
        # The same event as the events.v1 socket's, by its id and time.
        same = server_message(events.recv(timeout=10))
        while same["post"]["id"] != created["id"]:
            same = server_message(events.recv(timeout=10))
        assert (event["id"], event["occurredAt"]) == (same["id"], same["occurred_at"])

        changed = caller.client.patch(
            f"/api/v1/posts/{created['id']}", json={"title": "Changed"}, headers=caller.headers
        )
        assert changed.status_code == 200, changed.text
        update = event_for(connection, "all", created["id"])
        assert (update["kind"], update["post"]["title"]) == ("UPDATED", "Changed")

        assert ok(caller.graphql(DELETE, {"id": created["id"]})) == {"deletePost": True}
        deletion = event_for(connection, "all", created["id"])
        assert (deletion["kind"], deletion["postId"], deletion["post"]) == ("DELETED", created["id"], None)
    assert len({event["id"], update["id"], deletion["id"]}) == 3


def test_a_subscription_keeps_one_authors_events_until_completed(
    base_url: str, client: httpx.Client, tasks: frozenset[str], caller: Caller
) -> None:
    other = Caller(client, tasks)
    with acknowledged(base_url, caller) as connection:
        subscribe(connection, "mine", POST_EVENTS, {"authorId": caller.user["id"]})
        assert ponged(connection) == []
        other.create_post(title="Not for this subscription")
        mine = caller.create_post(title="For this subscription")
        seen = [event_for(connection, "mine", mine["id"])]
        # Whatever was on its way by now has arrived: none of it is the other author's.
        time.sleep(0.3)
        seen += [message["payload"]["data"]["postEvents"] for message in ponged(connection)]
        assert [event["postId"] for event in seen] == [mine["id"]]

        # After complete, that operation gets nothing: the next event reaches only a new one.
        send(connection, {"id": "mine", "type": "complete"})
        subscribe(connection, "again", POST_EVENTS)
        assert ponged(connection) == []
        later = caller.create_post(title="After complete")
        message = receive(connection)
        while message["payload"]["data"]["postEvents"]["postId"] != later["id"]:
            message = receive(connection)
        assert message["id"] == "again"
        time.sleep(0.3)
        assert all(message["id"] != "mine" for message in ponged(connection))


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    [
        ("subscription { postEvents { id ", None, "GRAPHQL_PARSE_FAILED"),
        ("subscription { postEvents { nope } }", None, "GRAPHQL_VALIDATION_FAILED"),
        ("query { posts { items { id } } }", None, "BAD_REQUEST"),
        ('mutation { deletePost(id: "00000000-0000-4000-8000-000000000000") }', None, "BAD_REQUEST"),
        (POST_EVENTS, {"authorId": {"not": "an id"}}, "BAD_USER_INPUT"),
        ('subscription { postEvents(authorId: "not-a-uuid") { id } }', None, "BAD_USER_INPUT"),
    ],
    ids=["parse", "validation", "query", "mutation", "variables", "author-id"],
)
def test_a_refused_operation_gets_an_error_and_the_socket_stays_open(
    base_url: str, caller: Caller, query: str, variables: dict[str, object] | None, code: str
) -> None:
    with acknowledged(base_url, caller) as connection:
        subscribe(connection, "op", query, variables)
        error = receive(connection)
        assert (error["type"], error["id"]) == ("error", "op"), error
        assert [entry["extensions"]["code"] for entry in error["payload"]] == [code] * len(error["payload"])
        assert error["payload"], error
        # Nothing was subscribed: the id is free again, and the socket answers.
        subscribe(connection, "op", POST_EVENTS)
        assert ponged(connection) == []


def test_at_most_ten_subscriptions_per_socket(base_url: str, caller: Caller) -> None:
    with acknowledged(base_url, caller) as connection:
        for number in range(MAX_SUBSCRIPTIONS):
            subscribe(connection, f"op{number}", POST_EVENTS)
        assert ponged(connection) == []
        subscribe(connection, "one-more", POST_EVENTS)
        error = receive(connection)
        assert (error["type"], error["id"]) == ("error", "one-more"), error
        assert error["payload"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_connection_init_carries_the_token(base_url: str, caller: Caller) -> None:
    if not caller.auth:
        # Without accounts, no token is needed.
        with connect_graphql(base_url) as connection:
            send(connection, {"type": "connection_init"})
            assert receive(connection) == {"type": "connection_ack"}
        return
    token = caller.headers["Authorization"].removeprefix("Bearer ")
    for payload in (None, {}, {"Authorization": "Bearer not-a-token"}, {"Authorization": f"Basic {token}"}):
        with connect_graphql(base_url) as connection:
            send(connection, {"type": "connection_init"} | ({} if payload is None else {"payload": payload}))
            assert closed_with(connection) == FORBIDDEN
    # The key in any case, as HTTP header names are.
    with connect_graphql(base_url) as connection:
        send(connection, {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
        assert receive(connection) == {"type": "connection_ack"}


@pytest.mark.parametrize(
    ("messages", "code"),
    [
        ([{"id": "early", "type": "subscribe", "payload": {"query": POST_EVENTS}}], UNAUTHORIZED),
        (["init", {"type": "connection_init"}], TOO_MANY_INITS),
        (["init", *[{"id": "x", "type": "subscribe", "payload": {"query": POST_EVENTS}}] * 2], DUPLICATE_ID),
        (["init", "not json"], BAD_REQUEST),
        (["init", {"type": "shout"}], BAD_REQUEST),
        (["init", {"id": "x", "type": "subscribe", "payload": {"query": 5}}], BAD_REQUEST),
        (["init", b'{"type": "ping"}'], BAD_REQUEST),
        (["init", "x" * (MAX_MESSAGE_BYTES + 1)], MESSAGE_TOO_BIG),
    ],
    ids=[
        "subscribe-before-ack",
        "second-init",
        "duplicate-id",
        "not-json",
        "unknown-type",
        "bad-payload",
        "binary",
        "too-big",
    ],
)
def test_a_protocol_violation_closes_the_socket(
    base_url: str, caller: Caller, messages: list[object], code: int
) -> None:
    with connect_graphql(base_url) as connection:
        for message in messages:
            if message == "init":
                send(connection, {"type": "connection_init", "payload": init_payload(caller)})
                assert receive(connection) == {"type": "connection_ack"}
            elif isinstance(message, dict):
                send(connection, message)
            else:
                assert isinstance(message, str | bytes)
                connection.send(message)
        assert closed_with(connection) == code


def test_without_connection_init_the_socket_closes_with_4408(base_url: str) -> None:
    with connect_graphql(base_url) as connection:
        assert closed_with(connection) == INIT_TIMEOUT


def test_the_upgrade_is_refused_as_for_events(base_url: str, caller: Caller, cors_origin: str) -> None:
    for subprotocols, origin, status in (
        ([SUBPROTOCOL], "https://elsewhere.example", 403),
        ([], None, 400),
        (["graphql-ws"], None, 400),
        (["events.v1"], cors_origin, 400),
    ):
        with pytest.raises(InvalidStatus) as raised:
            connect_graphql(base_url, subprotocols=subprotocols, origin=origin).close()
        assert_problem(refusal(raised.value), status, "Forbidden" if status == 403 else "Bad Request")
    with connect_graphql(base_url, origin=cors_origin) as connection:
        assert connection.subprotocol == SUBPROTOCOL
        send(connection, {"type": "connection_init", "payload": init_payload(caller)})
        assert receive(connection) == {"type": "connection_ack"}


def test_graphql_sockets_count_in_ws_max_connections(base_url: str, caller: Caller) -> None:
    # Sockets of earlier tests may still be closing on the server: open until refused.
    deadline = time.monotonic() + 10
    with ExitStack() as stack:
        for _ in range(MAX_CONNECTIONS):
            try:
                stack.enter_context(connect_events(base_url, headers=caller.headers))
            except InvalidStatus:
                break
        with pytest.raises(InvalidStatus) as raised:
            connect_graphql(base_url).close()
        answer = refusal(raised.value)
        assert_problem(answer, 503, "Service Unavailable")
        assert answer.headers["retry-after"] == "1"
    # Closed events sockets free places for GraphQL ones.
    while True:
        try:
            with acknowledged(base_url, caller) as connection:
                subscribe(connection, str(uuid.uuid4()), POST_EVENTS)
                assert ponged(connection) == []
                return
        except InvalidStatus:
            assert time.monotonic() < deadline, "no place came free after every socket closed"
            time.sleep(0.1)


def test_a_subscription_over_post_is_refused_with_400(caller: Caller) -> None:
    answer = caller.graphql(POST_EVENTS)
    assert answer.status_code == 400, answer.text
    assert [error["extensions"]["code"] for error in answer.json()["errors"]] == ["GRAPHQL_VALIDATION_FAILED"]
    assert "WebSocket" in answer.json()["errors"][0]["message"]
