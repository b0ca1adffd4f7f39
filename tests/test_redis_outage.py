"""Redis stopped and started under load, two instances behind nginx (tests/cluster.py).

The instances use a Redis of this test's own (stopping the shared one would break the other
tests). Steady load reads a cached post, reads a page and writes posts through nginx; Redis
is stopped (its data is gone, as after a crash), kept down, then started again on the same
port. Every request must still succeed (reads from PostgreSQL, the rate limit lifted while
its counter is away, as the READMEs say), no acknowledged write may be lost, and the cache
must work again without restarting anything: the time until the post is a cache hit again
is the recovery time.
"""

from __future__ import annotations

import functools
import json
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from cluster import Cluster, client_ip, new_account, random_client, running_load, serve_cluster, sign_in
from conftest import FRAMEWORKS
from pytest_copie.plugin import Copie

from scripts.services import RedisServer

LOAD_CLIENTS = 4
LOAD_BEFORE, OUTAGE, LOAD_AFTER = 2.0, 4.0, 4.0
RECOVERY_SECONDS = 10.0


@dataclass
class Answer:
    at: float
    operation: str
    status: int


@dataclass
class Load:
    answers: list[Answer] = field(default_factory=list)
    created: list[str] = field(default_factory=list)


@pytest.fixture(params=FRAMEWORKS)
def outage(
    request: pytest.FixtureRequest,
    copie_session: Copie,
    service_urls: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Cluster, RedisServer]]:
    redis = RedisServer()
    redis.start()
    try:
        with serve_cluster(
            copie_session,
            request.param,
            admin_url=service_urls["DATABASE_URL"],
            redis_url=redis.url,
            out=tmp_path_factory.mktemp(f"redis-outage-{request.param}"),
        ) as cluster:
            yield cluster, redis
    finally:
        redis.stop()
        shutil.rmtree(redis.home, ignore_errors=True)


def _load(base_url: str, token: str, post: str, stop: threading.Event, load: Load) -> None:
    """Read the cached post, read a page, write a post, over and over, each from a client of its own."""
    # A connection per request, as from many clients: none is kept open to nginx while it
    # reloads (a kept one that an old worker closes would fail on the client's side).
    fresh = httpx.Limits(max_keepalive_connections=0)
    with httpx.Client(base_url=base_url, timeout=30, limits=fresh) as client:
        while not stop.is_set():
            auth = {**random_client(), "Authorization": f"Bearer {token}"}
            requests = {
                "read": client.build_request("GET", f"/api/v1/posts/{post}", headers=auth),
                "page": client.build_request("GET", "/api/v1/posts?limit=20", headers=auth),
                "write": client.build_request(
                    "POST", "/api/v1/posts", json={"title": "load", "body": ""}, headers=auth
                ),
            }
            for operation, request in requests.items():
                try:
                    response = client.send(request)
                except httpx.TransportError:
                    load.answers.append(Answer(time.monotonic(), operation, 0))
                    continue
                load.answers.append(Answer(time.monotonic(), operation, response.status_code))
                if operation == "write" and response.status_code == 201:
                    load.created.append(response.json()["id"])


def _cache_hit_again(client: httpx.Client, post: str, headers: dict[str, str]) -> float:
    """Seconds until the post is served from Redis again."""
    started = time.monotonic()
    while time.monotonic() - started < RECOVERY_SECONDS:
        if client.get(f"/api/v1/posts/{post}", headers={**random_client(), **headers}).headers.get("x-cache") == "HIT":
            return time.monotonic() - started
        time.sleep(0.1)
    pytest.fail(f"the cache served no hit within {RECOVERY_SECONDS:.0f} s of Redis coming back")


def _summary(answers: list[Answer]) -> dict[str, int]:
    statuses = [answer.status for answer in answers]
    return {
        "requests": len(statuses),
        "2xx": sum(200 <= status < 300 for status in statuses),
        "503": statuses.count(503),
        "other": sum(not (200 <= status < 300 or status == 503) for status in statuses),
    }


@pytest.mark.services
def test_redis_stopped_and_started_under_load_fails_no_request(outage: tuple[Cluster, RedisServer]) -> None:
    cluster, redis = outage
    a = cluster.instances[0]
    headers = client_ip()
    bearer = {"Authorization": f"Bearer {sign_in(a, new_account(a, headers), headers)['access_token']}"}
    post = cluster.balancer.post("/api/v1/posts", json={"title": "seed", "body": ""}, headers={**headers, **bearer})
    assert post.status_code == 201, post.text
    seed = post.json()["id"]
    loads = [Load() for _ in range(LOAD_CLIENTS)]
    token = bearer["Authorization"].removeprefix("Bearer ")
    base_url = str(cluster.balancer.base_url)
    with running_load([functools.partial(_load, base_url, token, seed, load=load) for load in loads]):
        time.sleep(LOAD_BEFORE)
        stopped = time.monotonic()
        redis.stop()
        time.sleep(OUTAGE)
        redis.start()
        restarted = time.monotonic()
        recovery = _cache_hit_again(cluster.balancer, seed, bearer)
        time.sleep(LOAD_AFTER)

    answers = [answer for load in loads for answer in load.answers]
    created = [post for load in loads for post in load.created]
    phases = {
        "before": [answer for answer in answers if answer.at < stopped],
        "outage": [answer for answer in answers if stopped <= answer.at < restarted],
        "after": [answer for answer in answers if answer.at >= restarted],
    }
    missing = [
        post
        for post in created
        if a.get(f"/api/v1/posts/{post}", headers={**random_client(), **bearer}).status_code != 200
    ]
    report = {name: _summary(phase) for name, phase in phases.items()}
    print(json.dumps({"framework": cluster.framework, **report, "recovery_seconds": round(recovery, 2)}))
    assert all(summary["requests"] > 0 for summary in report.values()), report
    assert all(summary["2xx"] == summary["requests"] for summary in report.values()), report
    assert missing == [], f"{len(missing)} acknowledged writes lost"
