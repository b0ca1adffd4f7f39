"""Two instances of the full render with WebSocket (tests/cluster.py): an event published on
one reaches the sockets of the other, through Redis pub/sub.

The sockets and the writes address each instance directly, so that "written on A, delivered
on B" is certain rather than left to the balancer's order.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from cluster import Cluster, client_ip, new_account, serve_cluster, sign_in
from conftest import FRAMEWORKS
from contract.websocket import TIMEOUT, connect_events, server_message
from pytest_copie.plugin import Copie
from websockets.sync.client import ClientConnection

# Redis databases 33 and up belong to tests/test_generated_projects.py; 20-29 to the other
# multi-instance and fault tests.
REDIS_DATABASE = {"fastapi": 21, "express": 22}


@pytest.fixture(params=FRAMEWORKS)
def cluster(
    request: pytest.FixtureRequest,
    copie_session: Copie,
    service_urls: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Cluster]:
    framework = request.param
    with serve_cluster(
        copie_session,
        framework,
        admin_url=service_urls["DATABASE_URL"],
        redis_url=service_urls["REDIS_URL"].rsplit("/", 1)[0] + f"/{REDIS_DATABASE[framework]}",
        out=tmp_path_factory.mktemp(f"websocket-{framework}"),
        styles=("rest", "websocket"),
    ) as running:
        yield running


def _event_of(connection: ClientConnection, post_id: str) -> dict[str, Any]:
    while True:
        message = server_message(connection.recv(timeout=TIMEOUT))
        if message["type"].startswith("post.") and message["post"]["id"] == post_id:
            return message


def _pong(connection: ClientConnection) -> list[dict[str, Any]]:
    """What arrives before the answer to a ping."""
    connection.send(json.dumps({"type": "ping"}))
    before = []
    while (message := server_message(connection.recv(timeout=TIMEOUT))) != {"type": "pong"}:
        before.append(message)
    return before


@pytest.mark.services
def test_an_event_written_on_one_instance_reaches_the_sockets_of_both(cluster: Cluster) -> None:
    a, b = cluster.instances
    headers = client_ip()
    account = new_account(a, headers)
    token = sign_in(b, account, headers)["access_token"]
    auth = {"Authorization": f"Bearer {token}", **headers}
    base = [str(client.base_url) for client in cluster.instances]
    with connect_events(base[0], headers=auth) as on_a, connect_events(base[1], headers=auth) as on_b:
        # Written on A: delivered on B (and on A, through the same channel).
        created = a.post("/api/v1/posts", json={"title": "From A", "body": "Across."}, headers=auth)
        assert created.status_code == 201, created.text
        post = created.json()
        for connection in (on_b, on_a):
            event = _event_of(connection, post["id"])
            assert (event["type"], event["post"]) == ("post.created", post)

        # Removed on B: a client of A sees it.
        removed = b.delete(f"/api/v1/posts/{post['id']}", headers=auth)
        assert removed.status_code == 204, removed.text
        for connection in (on_a, on_b):
            event = _event_of(connection, post["id"])
            assert (event["type"], event["post"]) == ("post.deleted", {"id": post["id"]})
        # Each event came once to each socket: nothing more is on its way.
        assert _pong(on_a) == []
        assert _pong(on_b) == []
    _assert_each_instance_logged_its_socket(cluster, token)


def _assert_each_instance_logged_its_socket(cluster: Cluster, token: str) -> None:
    for log in cluster.logs:
        lines = []
        for text in log.read_text(errors="replace").splitlines():
            try:
                entry = json.loads(text)
            except ValueError:
                continue
            if isinstance(entry, dict) and str(entry.get("msg", "")).startswith("websocket"):
                lines.append(entry)
        assert [entry["msg"] for entry in lines][:1] == ["websocket opened"], log
        assert all("user_id" in entry and "request_id" in entry for entry in lines), lines
        assert token not in log.read_text(errors="replace"), "a log line carries the access token"
