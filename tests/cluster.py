"""Several instances of one render behind nginx, for the tests of what they share and how
they fail: each framework's full render (REST, or the styles given), migrated once, served by
processes on ports of their own, nginx (tests/balancer.py) in front, round robin.
"""

from __future__ import annotations

import itertools
import os
import secrets
import subprocess
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from balancer import Balancer
from conftest import FULL, render
from pytest_copie.plugin import Copie
from served import prepare, wait_ready
from toolchains import run

from scripts.services import free_port

RATE_LIMIT = 20
SIGN_IN_LIMIT = 5
_client_numbers = itertools.count(1)


def client_ip() -> dict[str, str]:
    """A client of its own (the instances trust X-Forwarded-For from loopback): its own limits."""
    number = next(_client_numbers)
    return {"X-Forwarded-For": f"198.51.100.{number}"}


def random_client() -> dict[str, str]:
    """One of many clients, for load that is not about the rate limit."""
    return {"X-Forwarded-For": f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}.{secrets.randbelow(254) + 1}"}


@dataclass
class Cluster:
    framework: str
    balancer: httpx.Client
    instances: list[httpx.Client]
    logs: list[Path]
    # Takes an instance out of nginx's rotation, stops it with SIGTERM, waits, starts it again,
    # puts it back: one step of a rolling restart.
    restart: Callable[[int], None]
    database_url: str


@contextmanager
def serve_cluster(
    copie: Copie,
    framework: str,
    *,
    admin_url: str,
    redis_url: str,
    out: Path,
    settings: dict[str, str] | None = None,
    styles: tuple[str, ...] = ("rest",),
) -> Iterator[Cluster]:
    """Two instances of the full render on a fresh database and ``redis_url`` (emptied), behind
    nginx; ``settings`` are more environment variables for the instances."""
    project = render(copie, framework=framework, tasks=list(FULL), api_styles=list(styles))
    database = f"cb_instances_{framework}_{uuid.uuid4().hex[:8]}"
    run(["psql", admin_url, "-q", "-c", f'CREATE DATABASE "{database}"'], cwd=project)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "VIRTUAL_ENV"))}
    env |= {
        "DATABASE_URL": admin_url.rsplit("/", 1)[0] + f"/{database}",
        "REDIS_URL": redis_url,
        "HOST": "127.0.0.1",
        "RATE_LIMIT_PER_MINUTE": str(RATE_LIMIT),
        "LOGIN_ATTEMPTS_PER_MINUTE": str(SIGN_IN_LIMIT),
        **(settings or {}),
    }
    serve = prepare(framework, project, env)
    run(["redis-cli", "-u", redis_url, "FLUSHDB"], cwd=project)
    ports = [free_port(), free_port()]
    try:
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
                balancer.route_around(frozenset({ports[index]}))
                _stop(processes[index])
                processes[index] = start(index)
                balancer.route_around(frozenset())

            clients.extend(
                stack.enter_context(httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10)) for port in ports
            )
            processes.extend(start(index) for index in range(len(ports)))
            balancer = stack.enter_context(Balancer(ports))
            through = stack.enter_context(httpx.Client(base_url=balancer.url, timeout=10))
            yield Cluster(framework, through, clients, logs, restart, env["DATABASE_URL"])
    finally:
        run(["psql", admin_url, "-q", "-c", f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'], cwd=Path.cwd())


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=30)


def new_account(client: httpx.Client, headers: dict[str, str]) -> dict[str, str]:
    """Signs up a new user; its email and password."""
    fields = {"email": f"instances-{uuid.uuid4().hex[:12]}@example.com", "password": "instances-password"}
    created = client.post("/api/v1/users", json={**fields, "name": "Instance"}, headers=headers)
    assert created.status_code == 201, created.text
    return fields


def sign_in(client: httpx.Client, account: dict[str, str], headers: dict[str, str]) -> dict[str, str]:
    answer = client.post("/api/v1/auth/token", json=account, headers=headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


@contextmanager
def running_load(clients: list[Callable[[threading.Event], None]]) -> Iterator[None]:
    """Each client in a thread of its own, given an event to stop at, while the block runs."""
    stop = threading.Event()
    threads = [threading.Thread(target=client, args=(stop,)) for client in clients]
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
