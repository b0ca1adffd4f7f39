"""Two instances of one render behind nginx (tests/cluster.py) share what they must: the
rate limit, the cache, refresh-token revocation and the sign-in limit; and a rolling
restart through nginx fails no request.

The rate limit is
checked through nginx; the other checks address each instance directly, so that "changed
on A, read on B" is certain rather than left to the balancer's order.
"""

from __future__ import annotations

import functools
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from cluster import (
    RATE_LIMIT,
    SIGN_IN_LIMIT,
    Cluster,
    client_ip,
    new_account,
    random_client,
    running_load,
    serve_cluster,
    sign_in,
)
from conftest import FRAMEWORKS
from pytest_copie.plugin import Copie

LOG_WAIT_SECONDS = 5
LOAD_CLIENTS = 4
LOAD_BETWEEN_SECONDS = 2.0
# Redis databases 33 and up belong to tests/test_generated_projects.py, 30-31 to the outage test;
# here each test and framework has its own, since the tests may run at the same time.
REDIS_DATABASES = {
    "test_two_instances_behind_nginx_share_limits_cache_and_revocation": {"fastapi": 25, "express": 26},
    "test_a_rolling_restart_through_nginx_fails_no_request": {"fastapi": 27, "express": 28},
}


@pytest.fixture(params=FRAMEWORKS)
def cluster(
    request: pytest.FixtureRequest,
    copie_session: Copie,
    service_urls: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Cluster]:
    framework = request.param
    redis_database = REDIS_DATABASES[request.node.originalname][framework]
    with serve_cluster(
        copie_session,
        framework,
        admin_url=service_urls["DATABASE_URL"],
        redis_url=service_urls["REDIS_URL"].rsplit("/", 1)[0] + f"/{redis_database}",
        out=tmp_path_factory.mktemp(f"instances-{framework}"),
    ) as running:
        yield running


def _gets_of(log: Path, path: str) -> int:
    """The GET requests of ``path`` in an instance's access lines (JSON, one a line)."""
    count = 0
    for line in log.read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and entry.get("method") == "GET" and entry.get("path") == path:
            count += 1
    return count


def _logged(logs: list[Path], path: str, expected: int) -> list[int]:
    """Each instance's count of GETs of ``path``, once all ``expected`` are logged (lines follow
    their responses), or as they are after a few seconds."""
    deadline = time.monotonic() + LOG_WAIT_SECONDS
    while True:
        counts = [_gets_of(log, path) for log in logs]
        if sum(counts) >= expected or time.monotonic() > deadline:
            assert sum(counts) == expected, counts
            return counts
        time.sleep(0.1)


def _check_the_rate_limit_counts_every_instance_s_requests(cluster: Cluster) -> None:
    headers = client_ip()
    # Listing users (an admin's right: 401 without a token) is this test's alone.
    statuses = [cluster.balancer.get("/api/v1/users", headers=headers).status_code for _ in range(RATE_LIMIT + 6)]

    assert 429 not in statuses[:RATE_LIMIT], statuses
    assert statuses[RATE_LIMIT:] == [429] * 6
    # Round robin: each instance answered half; alone, neither would have reached the limit.
    served = _logged(cluster.logs, "/api/v1/users", RATE_LIMIT + 6)
    assert min(served) >= RATE_LIMIT // 2, served


def _check_a_post_changed_on_one_instance_is_never_read_stale_on_the_other(cluster: Cluster) -> None:
    a, b = cluster.instances
    headers = client_ip()
    account = new_account(a, headers)
    auth = {**headers, "Authorization": f"Bearer {sign_in(a, account, headers)['access_token']}"}
    post = a.post("/api/v1/posts", json={"title": "Before", "body": ""}, headers=auth).json()
    for instance in (a, b, a, b):  # cached by now, on both
        assert instance.get(f"/api/v1/posts/{post['id']}", headers=auth).json()["title"] == "Before"

    changed = b.patch(f"/api/v1/posts/{post['id']}", json={"title": "After"}, headers=auth)
    assert changed.status_code == 200, changed.text

    assert [instance.get(f"/api/v1/posts/{post['id']}", headers=auth).json()["title"] for instance in (a, b)] == [
        "After",
        "After",
    ]


def _check_a_refresh_token_rotated_on_one_instance_is_refused_on_the_other(cluster: Cluster) -> None:
    a, b = cluster.instances
    headers = client_ip()
    first = sign_in(a, new_account(a, headers), headers)
    second = a.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}, headers=headers)
    assert second.status_code == 200, second.text

    replayed = b.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}, headers=headers)
    # A replay revokes the whole family: the token the rotation gave is refused too.
    after = a.post("/api/v1/auth/refresh", json={"refresh_token": second.json()["refresh_token"]}, headers=headers)

    assert (replayed.status_code, after.status_code) == (401, 401)


def _check_failed_sign_ins_count_across_instances(cluster: Cluster) -> None:
    a, b = cluster.instances
    headers = client_ip()
    account = new_account(a, headers)
    wrong = {**account, "password": "not the password"}
    statuses = [
        instance.post("/api/v1/auth/token", json=wrong, headers=headers).status_code for instance in (a, b, a, b, a)
    ]

    blocked = b.post("/api/v1/auth/token", json=account, headers=headers)

    assert statuses == [401] * SIGN_IN_LIMIT
    assert blocked.status_code == 429, blocked.text


@pytest.mark.services
def test_two_instances_behind_nginx_share_limits_cache_and_revocation(cluster: Cluster) -> None:
    # One set-up for the four checks: each needs both instances, and starting them is the cost.
    _check_the_rate_limit_counts_every_instance_s_requests(cluster)
    _check_a_post_changed_on_one_instance_is_never_read_stale_on_the_other(cluster)
    _check_a_refresh_token_rotated_on_one_instance_is_refused_on_the_other(cluster)
    _check_failed_sign_ins_count_across_instances(cluster)


@dataclass
class LoadResult:
    statuses: list[int] = field(default_factory=list)
    created: list[str] = field(default_factory=list)  # ids of acknowledged posts


def _load(base_url: str, token: str, stop: threading.Event, result: LoadResult) -> None:
    """Write a post, read it back, over and over, each request from a client of its own."""
    # A connection per request, as from many clients: none is kept open to nginx while it
    # reloads (a kept one that an old worker closes would fail on the client's side).
    fresh = httpx.Limits(max_keepalive_connections=0)
    with httpx.Client(base_url=base_url, timeout=10, limits=fresh) as client:
        while not stop.is_set():
            auth = {**random_client(), "Authorization": f"Bearer {token}"}
            try:
                created = client.post("/api/v1/posts", json={"title": "rolling", "body": ""}, headers=auth)
                result.statuses.append(created.status_code)
                if created.status_code == 201:
                    result.created.append(created.json()["id"])
                    read = client.get(f"/api/v1/posts/{created.json()['id']}", headers=auth)
                    result.statuses.append(read.status_code)
            except httpx.TransportError:
                result.statuses.append(0)


@pytest.mark.services
def test_a_rolling_restart_through_nginx_fails_no_request(cluster: Cluster) -> None:
    a = cluster.instances[0]
    headers = client_ip()
    token = sign_in(a, new_account(a, headers), headers)["access_token"]
    results = [LoadResult() for _ in range(LOAD_CLIENTS)]
    base_url = str(cluster.balancer.base_url)
    with running_load([functools.partial(_load, base_url, token, result=result) for result in results]):
        for index in range(len(cluster.instances)):  # one after the other, as a rollout does
            time.sleep(LOAD_BETWEEN_SECONDS)
            cluster.restart(index)
        time.sleep(LOAD_BETWEEN_SECONDS)

    statuses = [status for result in results for status in result.statuses]
    created = [post for result in results for post in result.created]
    summary = {status: statuses.count(status) for status in sorted(set(statuses))}
    print(json.dumps({"framework": cluster.framework, "requests": len(statuses), "statuses": summary}))
    assert set(statuses) <= {200, 201}, summary
    assert len(created) > LOAD_CLIENTS, summary  # the load ran through both restarts
    # Every acknowledged write is there.
    bearer = {"Authorization": f"Bearer {token}"}
    missing = [
        post
        for post in created
        if a.get(f"/api/v1/posts/{post}", headers={**random_client(), **bearer}).status_code != 200
    ]
    assert missing == []
