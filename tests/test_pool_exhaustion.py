"""More concurrent slow requests than DB_POOL_SIZE: the ones without a connection are a fast
503 with Retry-After, the others finish, and nothing hangs.

Each framework's full render runs with DB_POOL_SIZE=2 and DB_POOL_TIMEOUT_SECONDS=1
(tests/cluster.py). A psql session locks the posts table for a few seconds, so that every
request reading posts holds its pooled connection while it waits; eight such requests then
arrive at once on one instance.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from cluster import Cluster, client_ip, new_account, random_client, serve_cluster, sign_in
from conftest import FRAMEWORKS
from pytest_copie.plugin import Copie

POOL_SIZE = 2
POOL_TIMEOUT_SECONDS = 1.0
LOCK_SECONDS = 4
CONCURRENT = 8
# Redis databases 33 and up belong to tests/test_generated_projects.py, 25-28 to test_instances.py,
# 30-31 to the PostgreSQL outage test.
REDIS_DATABASE = {"fastapi": 29, "express": 24}
LOCK_POSTS = f"BEGIN; LOCK TABLE posts IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep({LOCK_SECONDS}); COMMIT;"
LOCK_HELD = (
    "SELECT count(*) FROM pg_locks JOIN pg_class ON pg_locks.relation = pg_class.oid "
    "WHERE pg_class.relname = 'posts' AND pg_locks.mode = 'AccessExclusiveLock' AND pg_locks.granted"
)


@dataclass(frozen=True)
class Answer:
    status: int
    seconds: float
    ended: float  # time.monotonic() when it came
    retry_after: str | None


@pytest.fixture(params=FRAMEWORKS)
def cluster(
    request: pytest.FixtureRequest,
    copie_session: Copie,
    service_urls: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Cluster]:
    with serve_cluster(
        copie_session,
        request.param,
        admin_url=service_urls["DATABASE_URL"],
        redis_url=service_urls["REDIS_URL"].rsplit("/", 1)[0] + f"/{REDIS_DATABASE[request.param]}",
        out=tmp_path_factory.mktemp(f"pool-{request.param}"),
        settings={"DB_POOL_SIZE": str(POOL_SIZE), "DB_POOL_TIMEOUT_SECONDS": str(POOL_TIMEOUT_SECONDS)},
    ) as running:
        yield running


def _read(client: httpx.Client, headers: dict[str, str], answers: list[Answer]) -> None:
    started = time.monotonic()
    response = client.get("/api/v1/posts?limit=5", headers={**random_client(), **headers}, timeout=30)
    ended = time.monotonic()
    answers.append(Answer(response.status_code, ended - started, ended, response.headers.get("retry-after")))


def _wait_for_lock(database_url: str) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        held = subprocess.run(["psql", database_url, "-tAc", LOCK_HELD], capture_output=True, text=True, check=True)
        if held.stdout.strip() == "1":
            return
        time.sleep(0.05)
    pytest.fail("psql did not take the lock on posts")


@pytest.mark.services
def test_more_slow_requests_than_the_pool_get_fast_503s_and_the_rest_finish(cluster: Cluster) -> None:
    a = cluster.instances[0]
    headers = client_ip()
    bearer = {"Authorization": f"Bearer {sign_in(a, new_account(a, headers), headers)['access_token']}"}
    assert a.get("/api/v1/posts?limit=5", headers={**random_client(), **bearer}).status_code == 200  # warm

    with subprocess.Popen(["psql", cluster.database_url, "-q", "-c", LOCK_POSTS], stdout=subprocess.DEVNULL) as lock:
        _wait_for_lock(cluster.database_url)
        answers: list[Answer] = []
        threads = [threading.Thread(target=_read, args=(a, bearer, answers)) for _ in range(CONCURRENT)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert lock.wait(timeout=30) == 0
        released = time.monotonic()
    after = a.get("/api/v1/posts?limit=5", headers={**random_client(), **bearer})

    busy = [answer for answer in answers if answer.status == 503]
    done = [answer for answer in answers if answer.status == 200]
    print(
        json.dumps(
            {
                "framework": cluster.framework,
                "requests": len(answers),
                "200": len(done),
                "503": len(busy),
                "other": len(answers) - len(done) - len(busy),
                "slowest_503_seconds": round(max((answer.seconds for answer in busy), default=0), 2),
                "slowest_200_seconds": round(max((answer.seconds for answer in done), default=0), 2),
            }
        )
    )
    assert len(answers) == CONCURRENT
    assert len(done) + len(busy) == CONCURRENT, answers  # nothing else: no 500, no hang
    assert len(busy) >= CONCURRENT - POOL_SIZE, answers
    assert all(answer.retry_after == "1" for answer in busy), answers
    # Fast: each 503 came while the lock still held the others' connections, not after it.
    assert all(answer.ended < released for answer in busy), answers
    assert after.status_code == 200  # and the pool serves again at once
