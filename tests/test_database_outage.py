"""A PostgreSQL restart under load, as an operator would cause one.

Each framework's full render (GraphQL included) serves steady traffic from a PostgreSQL cluster of its
own (stopping the shared one would break every other test). After a few seconds the
cluster is stopped (fast shutdown: sessions are terminated), kept down, then started
again on the same port while the load goes on. The service must live through it,
answer every request with a success or a 503 problem, never hang, report itself not
ready while the database is away, recover by itself and lose no acknowledged write. Its
gRPC health service (a Watch stream held through the outage) says the same: NOT_SERVING while
the database is away, SERVING again after.

The crash this guards against was intermittent (an unhandled error event on an idle
client): the steady load makes it likely in one run, and `scripts/test -k outage`
in a loop makes it certain.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import httpx
import pytest
from conftest import FRAMEWORKS, render
from grpc_health.v1 import health_pb2, health_pb2_grpc
from pytest_copie.plugin import Copie
from served import prepare, wait_ready
from toolchains import run

from scripts.services import PostgresServer, free_port

FULL = ["api", "database", "auth", "cache", "optimize"]
CLIENTS = 6
LOAD_BEFORE, OUTAGE, LOAD_AFTER = 3.0, 5.0, 8.0
# Every request ends within the service's time limit (plus the client's own overhead).
REQUEST_TIMEOUT_SECONDS = 5
RECOVERY_SECONDS = 5.0
# Redis databases 33 and up belong to tests/test_generated_projects.py.
REDIS_DATABASE = {"fastapi": 30, "express": 31}
PROBLEM = "application/problem+json"
# The renders serve GraphQL too: a page with authors goes through the same storage.
GRAPHQL_PAGE = "{ posts(first: 20) { items { id author { name } } } }"


@dataclass(frozen=True)
class Answer:
    operation: str
    started: float
    elapsed: float
    status: int  # 0: no HTTP answer at all (refused, reset)
    content_type: str
    body: object
    retry_after: str | None


SERVING, NOT_SERVING = health_pb2.HealthCheckResponse.SERVING, health_pb2.HealthCheckResponse.NOT_SERVING


@dataclass
class Timeline:
    stopped: float = 0.0
    restarted: float = 0.0


@pytest.fixture
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer()
    server.start()
    try:
        yield server
    finally:
        # Stopped by the test already when it failed mid-outage: stop only a running one.
        subprocess.run(server.stop_command, check=False, capture_output=True)
        shutil.rmtree(server.home, ignore_errors=True)


def _sign_in(client: httpx.Client) -> str:
    account = {"email": f"outage-{uuid.uuid4().hex[:12]}@example.com", "password": "outage-password"}
    assert client.post("/api/v1/users", json={**account, "name": "Load"}).status_code == 201
    answer = client.post("/api/v1/auth/token", json=account)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


def _call(client: httpx.Client, operation: str, request: httpx.Request) -> Answer:
    started = time.monotonic()
    try:
        response = client.send(request)
    except httpx.TransportError:
        return Answer(operation, started, time.monotonic() - started, 0, "", None, None)
    try:
        body: object = response.json()
    except ValueError:
        body = response.text
    return Answer(
        operation,
        started,
        time.monotonic() - started,
        response.status_code,
        response.headers.get("content-type", ""),
        body,
        response.headers.get("retry-after"),
    )


def _load(base_url: str, token: str, seed_post: str, stop: threading.Event, answers: list[Answer]) -> None:
    """One client: create a post, read a page, read one post, over and over."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=REQUEST_TIMEOUT_SECONDS * 3) as client:
        known = seed_post
        while not stop.is_set():
            body = {"title": "outage", "body": uuid.uuid4().hex}
            created = _call(client, "create", client.build_request("POST", "/api/v1/posts", json=body))
            if created.status == 201 and isinstance(created.body, dict):
                known = str(created.body["id"])
            page = _call(client, "page", client.build_request("GET", "/api/v1/posts", params={"limit": 20}))
            one = _call(client, "get", client.build_request("GET", f"/api/v1/posts/{known}"))
            graphql = _call(client, "graphql", client.build_request("POST", "/graphql", json={"query": GRAPHQL_PAGE}))
            answers.extend((created, page, one, graphql))


def _watch_readiness(base_url: str, stop: threading.Event, seen: list[tuple[float, int]]) -> None:
    with httpx.Client(base_url=base_url, timeout=REQUEST_TIMEOUT_SECONDS * 3) as client:
        while not stop.is_set():
            answer = _call(client, "ready", client.build_request("GET", "/health/ready"))
            seen.append((answer.started, answer.status))
            time.sleep(0.2)


def _count_rows(postgres: PostgresServer, ids: list[str]) -> int:
    listed = ",".join(f"'{post_id}'" for post_id in ids)
    query = f"SELECT count(*) FROM posts WHERE id IN ({listed})"  # noqa: S608  (ids the service generated)
    return int(run(["psql", postgres.url, "-tA", "-c", query], cwd=Path.cwd()).strip())


def _summary(answers: list[Answer]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for answer in answers:
        detail = answer.body.get("detail", "") if isinstance(answer.body, dict) else ""
        key = f"{answer.status} {detail}".strip() if answer.status >= 500 else str(answer.status)
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


@dataclass
class Outcome:
    answers: list[Answer]
    readiness: list[tuple[float, int]]
    health: list[tuple[float, int]]
    timeline: Timeline
    alive: bool


def _watch_health(target: str, stop: threading.Event, statuses: list[tuple[float, int]]) -> None:
    """One gRPC health Watch of the posts service, held until ``stop``: each status it sends."""
    request = health_pb2.HealthCheckRequest(service="my_service.v1.PostService")
    with grpc.insecure_channel(target) as channel:
        stream = health_pb2_grpc.HealthStub(channel).Watch(request)
        ender = threading.Thread(target=lambda: (stop.wait(), stream.cancel()))
        ender.start()
        try:
            statuses.extend((time.monotonic(), answer.status) for answer in stream)
        except grpc.RpcError as error:
            if error.code() != grpc.StatusCode.CANCELLED:
                statuses.append((time.monotonic(), -1))  # the stream broke: fails the test
        ender.join()


def _through_an_outage(
    serve: list[str], project: Path, env: dict[str, str], postgres: PostgresServer, log: Path
) -> Outcome:
    """Serve, put steady load on the service, restart PostgreSQL under it."""
    base_url = f"http://127.0.0.1:{env['PORT']}"
    outcome = Outcome([], [], [], Timeline(), alive=False)
    stop = threading.Event()
    with (
        log.open("wb") as output,
        subprocess.Popen(serve, cwd=project, env=env, stdout=output, stderr=subprocess.STDOUT) as process,
        httpx.Client(base_url=base_url, timeout=10) as client,
    ):
        try:
            wait_ready(client, process)
            token = _sign_in(client)
            seed = client.post(
                "/api/v1/posts", json={"title": "seed", "body": ""}, headers={"Authorization": f"Bearer {token}"}
            )
            assert seed.status_code == 201, seed.text
            threads = [
                threading.Thread(target=_load, args=(base_url, token, seed.json()["id"], stop, outcome.answers))
                for _ in range(CLIENTS)
            ]
            threads.append(threading.Thread(target=_watch_readiness, args=(base_url, stop, outcome.readiness)))
            grpc_target = f"127.0.0.1:{env['GRPC_PORT']}"
            threads.append(threading.Thread(target=_watch_health, args=(grpc_target, stop, outcome.health)))
            for thread in threads:
                thread.start()
            try:
                time.sleep(LOAD_BEFORE)
                outcome.timeline.stopped = time.monotonic()
                postgres.stop()
                time.sleep(OUTAGE)
                postgres.start()
                outcome.timeline.restarted = time.monotonic()
                time.sleep(LOAD_AFTER)
            finally:
                stop.set()
                for thread in threads:
                    thread.join(timeout=60)
            outcome.alive = process.poll() is None
        finally:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
    return outcome


def _assert_only_successes_and_fast_503s(answers: list[Answer], timeline: Timeline) -> None:
    during = [a for a in answers if timeline.stopped <= a.started < timeline.restarted]
    assert during, "no request was made while PostgreSQL was down"
    for answer in answers:
        assert answer.status != 0, f"{answer.operation}: no HTTP answer (the server refused or reset)"
        assert answer.elapsed < REQUEST_TIMEOUT_SECONDS + 1, answer
        if answer.status == 503:
            assert answer.content_type.startswith(PROBLEM), answer
            assert answer.retry_after == "1", answer
        else:
            assert 200 <= answer.status < 300, answer
            # A GraphQL answer is a success only without errors (an outage is the 503 problem).
            assert not (isinstance(answer.body, dict) and "errors" in answer.body), answer
    # Every request begun RECOVERY_SECONDS after the restart succeeds.
    late = [a for a in answers if a.started >= timeline.restarted + RECOVERY_SECONDS]
    assert late, "no request was made after the recovery window"
    assert all(200 <= a.status < 300 for a in late), _summary(late)


@pytest.mark.services
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_postgresql_restart_under_load_costs_only_fast_503s(
    copie: Copie, service_urls: dict[str, str], postgres: PostgresServer, framework: str, tmp_path: Path
) -> None:
    project = render(copie, framework=framework, tasks=FULL, api_styles=["rest", "graphql", "grpc"])
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "VIRTUAL_ENV"))}
    env |= {
        "DATABASE_URL": postgres.url,
        "REDIS_URL": service_urls["REDIS_URL"].rsplit("/", 1)[0] + f"/{REDIS_DATABASE[framework]}",
        "HOST": "127.0.0.1",
        "PORT": str(free_port()),
        "RATE_LIMIT_PER_MINUTE": "1000000",
        "REQUEST_TIMEOUT_SECONDS": str(REQUEST_TIMEOUT_SECONDS),
        "GRPC_PORT": str(free_port()),
        "GRPC_HEALTH_CHECK_SECONDS": "0.5",
    }
    serve = prepare(framework, project, env)
    log = tmp_path / "server.log"
    outcome = _through_an_outage(serve, project, env, postgres, log)
    print(log.read_text(errors="replace"))
    print(json.dumps({"framework": framework, "answers": _summary(outcome.answers)}, indent=2))

    assert outcome.alive, "the server died during the outage (its log is above)"
    _assert_only_successes_and_fast_503s(outcome.answers, outcome.timeline)
    # Not ready while PostgreSQL was away, ready again after it came back.
    timeline = outcome.timeline
    assert any(
        status == 503 for started, status in outcome.readiness if timeline.stopped < started < timeline.restarted
    )
    assert outcome.readiness[-1][1] == 200, outcome.readiness[-5:]
    # The gRPC health service follows: SERVING, NOT_SERVING while away, SERVING again.
    health = outcome.health
    assert health, "the health Watch sent nothing"
    assert health[0][1] == SERVING, health
    assert any(status == NOT_SERVING for started, status in health if started > timeline.stopped), health
    assert health[-1][1] == SERVING, health
    assert -1 not in {status for _, status in health}, health
    # No acknowledged write was lost.
    acknowledged = [str(a.body["id"]) for a in outcome.answers if a.status == 201 and isinstance(a.body, dict)]
    assert acknowledged
    assert _count_rows(postgres, acknowledged) == len(acknowledged)
