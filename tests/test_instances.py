"""Two instances of one render behind nginx share what they must: the rate limit, the
cache, refresh-token revocation and the sign-in limit.

Each framework's full render is migrated once and served by two processes on their own
ports, with nginx (tests/balancer.py) in front of both, round robin. The rate limit is
checked through nginx; the other checks address each instance directly, so that "changed
on A, read on B" is certain rather than left to the balancer's order.
"""

from __future__ import annotations

import itertools
import json
import os
import secrets
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from balancer import Balancer
from conftest import FRAMEWORKS, FULL, render
from pytest_copie.plugin import Copie
from served import prepare, wait_ready
from toolchains import run

from scripts.services import free_port

RATE_LIMIT = 20
LOG_WAIT_SECONDS = 5
LOAD_CLIENTS = 4
LOAD_BETWEEN_SECONDS = 2.0
SIGN_IN_LIMIT = 5
# Redis databases 1-24 belong to tests/test_generated_projects.py, 30-31 to the outage test;
# here each test and framework has its own, since the tests may run at the same time.
REDIS_DATABASES = {
    "test_two_instances_behind_nginx_share_limits_cache_and_revocation": {"fastapi": 25, "express": 26},
    "test_a_rolling_restart_through_nginx_fails_no_request": {"fastapi": 27, "express": 28},
}
_client_numbers = itertools.count(1)


def client_ip() -> dict[str, str]:
    """A client of its own (the instances trust X-Forwarded-For from loopback): its own limits."""
    number = next(_client_numbers)
    return {"X-Forwarded-For": f"198.51.100.{number}"}


@dataclass
class Cluster:
    framework: str
    balancer: httpx.Client
    instances: list[httpx.Client]
    logs: list[Path]
    restart: Callable[[int], None]  # stops an instance with SIGTERM, waits, starts it again


@pytest.fixture(params=FRAMEWORKS)
def cluster(
    request: pytest.FixtureRequest,
    copie_session: Copie,
    service_urls: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Cluster]:
    framework = request.param
    project = render(copie_session, framework=framework, tasks=list(FULL), api_styles=["rest"])
    admin = service_urls["DATABASE_URL"]
    database = f"cb_instances_{framework}_{uuid.uuid4().hex[:8]}"
    run(["psql", admin, "-q", "-c", f'CREATE DATABASE "{database}"'], cwd=project)
    redis_database = REDIS_DATABASES[request.node.originalname][framework]
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "VIRTUAL_ENV"))}
    env |= {
        "DATABASE_URL": admin.rsplit("/", 1)[0] + f"/{database}",
        "REDIS_URL": service_urls["REDIS_URL"].rsplit("/", 1)[0] + f"/{redis_database}",
        "HOST": "127.0.0.1",
        "RATE_LIMIT_PER_MINUTE": str(RATE_LIMIT),
        "LOGIN_ATTEMPTS_PER_MINUTE": str(SIGN_IN_LIMIT),
    }
    serve = prepare(framework, project, env)
    run(["redis-cli", "-u", env["REDIS_URL"], "FLUSHDB"], cwd=project)
    out = tmp_path_factory.mktemp(f"instances-{framework}")
    ports = [free_port(), free_port()]
    with ExitStack() as stack:
        processes: list[subprocess.Popen[bytes]] = []
        clients: list[httpx.Client] = []
        logs = [out / f"instance-{index}.log" for index in range(len(ports))]

        def start(index: int) -> subprocess.Popen[bytes]:
            output = stack.enter_context(logs[index].open("ab"))
            process = subprocess.Popen(
                serve, cwd=project, env={**env, "PORT": str(ports[index])}, stdout=output, stderr=subprocess.STDOUT
            )
            stack.callback(_stop, process)
            wait_ready(clients[index], process)
            return process

        def restart(index: int) -> None:
            _stop(processes[index])
            processes[index] = start(index)

        clients.extend(
            stack.enter_context(httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10)) for port in ports
        )
        processes.extend(start(index) for index in range(len(ports)))
        balancer = stack.enter_context(Balancer(ports))
        through = stack.enter_context(httpx.Client(base_url=balancer.url, timeout=10))
        yield Cluster(framework, through, clients, logs, restart)
    run(["psql", admin, "-q", "-c", f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'], cwd=Path.cwd())


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=30)


def _account(client: httpx.Client, headers: dict[str, str]) -> dict[str, str]:
    account = {"email": f"instances-{uuid.uuid4().hex[:12]}@example.com", "password": "instances-password"}
    created = client.post("/api/v1/users", json={**account, "name": "Instance"}, headers=headers)
    assert created.status_code == 201, created.text
    return account


def _tokens(client: httpx.Client, account: dict[str, str], headers: dict[str, str]) -> dict[str, str]:
    answer = client.post("/api/v1/auth/token", json=account, headers=headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


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
    account = _account(a, headers)
    auth = {**headers, "Authorization": f"Bearer {_tokens(a, account, headers)['access_token']}"}
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
    first = _tokens(a, _account(a, headers), headers)
    second = a.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}, headers=headers)
    assert second.status_code == 200, second.text

    replayed = b.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}, headers=headers)
    # A replay revokes the whole family: the token the rotation gave is refused too.
    after = a.post("/api/v1/auth/refresh", json={"refresh_token": second.json()["refresh_token"]}, headers=headers)

    assert (replayed.status_code, after.status_code) == (401, 401)


def _check_failed_sign_ins_count_across_instances(cluster: Cluster) -> None:
    a, b = cluster.instances
    headers = client_ip()
    account = _account(a, headers)
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
    with httpx.Client(base_url=base_url, timeout=10) as client:
        while not stop.is_set():
            auth = {**_random_client(), "Authorization": f"Bearer {token}"}
            try:
                created = client.post("/api/v1/posts", json={"title": "rolling", "body": ""}, headers=auth)
                result.statuses.append(created.status_code)
                if created.status_code == 201:
                    result.created.append(created.json()["id"])
                    read = client.get(f"/api/v1/posts/{created.json()['id']}", headers=auth)
                    result.statuses.append(read.status_code)
            except httpx.TransportError:
                result.statuses.append(0)


def _random_client() -> dict[str, str]:
    # Many clients: the load is not what the rate limit is about.
    return {"X-Forwarded-For": f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}.{secrets.randbelow(254) + 1}"}


@pytest.mark.services
def test_a_rolling_restart_through_nginx_fails_no_request(cluster: Cluster) -> None:
    a = cluster.instances[0]
    headers = client_ip()
    token = _tokens(a, _account(a, headers), headers)["access_token"]
    stop, results = threading.Event(), [LoadResult() for _ in range(LOAD_CLIENTS)]
    threads = [
        threading.Thread(target=_load, args=(str(cluster.balancer.base_url), token, stop, result)) for result in results
    ]
    for thread in threads:
        thread.start()
    try:
        for index in range(len(cluster.instances)):  # one after the other, as a rollout does
            time.sleep(LOAD_BETWEEN_SECONDS)
            cluster.restart(index)
        time.sleep(LOAD_BETWEEN_SECONDS)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)

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
        if a.get(f"/api/v1/posts/{post}", headers={**_random_client(), **bearer}).status_code != 200
    ]
    assert missing == []
