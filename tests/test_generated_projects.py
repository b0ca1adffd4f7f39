"""Install real renders, migrate, run their own tests against real PostgreSQL and
Redis, then boot each with its serve command and probe it over HTTP."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from conftest import ALL_STYLES, ENGINE_RUNS, FULL, RUNS, render, sign_in_methods
from contract.grpc import NOT_SERVING, watch_health
from contract.subscriptions import open_subscription
from contract.websocket import GOING_AWAY, closed_with, open_events_socket
from contract_run import ContractRun, contract_run, run_contract_suite
from pymongo import MongoClient
from pytest_copie.plugin import Copie
from toolchains import UV, run

# Every case is one of RUNS or ENGINE_RUNS (conftest.py) for one framework. The index picks the
# case's own Redis database (scripts/services.py starts Redis with enough of them), so
# rate-limit counters of parallel cases never meet; the databases below are other tests'.
FIRST_REDIS_DATABASE = 33
# The heaviest renders (most styles, then most tasks) first: the parallel workers then end
# together instead of one of them finishing a long case alone.
_RENDERS = sorted(
    [
        *((framework, subset, styles, "postgresql") for framework in ("fastapi", "express") for subset, styles in RUNS),
        *((framework, *render) for framework in ("fastapi", "express") for render in ENGINE_RUNS),
    ],
    key=lambda case: (len(case[2]), len(case[1])),
    reverse=True,
)
CASES = [
    pytest.param(
        framework,
        subset,
        styles,
        engine,
        index,
        id="-".join([framework, *([engine] if engine != "postgresql" else []), "+".join(subset), "+".join(styles)]),
    )
    for index, (framework, subset, styles, engine) in enumerate(_RENDERS)
]


def python_313() -> str:
    """CPython 3.13 from pyenv or PATH; the test fails naming what to install when missing."""
    candidates = [str(path) for path in sorted(Path.home().glob(".pyenv/versions/3.13*/bin/python3.13"))]
    candidates += filter(None, [shutil.which("python3.13")])  # a pyenv shim may not run it: checked below
    for candidate in candidates:
        if subprocess.run([candidate, "--version"], capture_output=True, check=False).returncode == 0:
            return candidate
    pytest.fail("CPython 3.13 is needed for the FastAPI render's 3.13 case: install it (pyenv install 3.13).")


def _with_path(url: str, path: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


@pytest.fixture
def database_url(service_urls: dict[str, str], request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh database for one generated project, dropped afterwards."""
    name = "cb_" + "".join(c if c.isalnum() else "_" for c in request.node.callspec.id).lower()
    if request.node.callspec.params["engine"] == "mongodb":
        yield from _mongodb_database(request.getfixturevalue("mongodb_url"), name[:60])
        return
    admin = service_urls["DATABASE_URL"]
    run(
        ["psql", admin, "-q", "-c", f'DROP DATABASE IF EXISTS "{name}"', "-c", f'CREATE DATABASE "{name}"'],
        cwd=Path.cwd(),
    )
    yield _with_path(admin, f"/{name}")
    run(["psql", admin, "-q", "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], cwd=Path.cwd())


def _mongodb_database(server: str, name: str) -> Iterator[str]:
    parts = urlsplit(server)
    client: MongoClient[dict[str, Any]] = MongoClient(server)
    try:
        client.drop_database(name)
        yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
        client.drop_database(name)
    finally:
        client.close()


def _wait_for(url: str, process: subprocess.Popen[bytes], timeout: float = 30) -> tuple[int, dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310  (loopback URL we built)
                return int(response.status), json.loads(response.read())
        except urllib.error.HTTPError as error:
            return int(error.code), json.loads(error.read())
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


# DESIGN §3: one JSON line per request, with the same fields in both frameworks.
ACCESS_LINE_FIELDS = {"time", "level", "msg", "method", "path", "status", "duration_ms", "request_id"}
ACCESS_LINE_OPTIONAL = {"user_id", "aborted"}


def _assert_access_lines(log: str, tasks: tuple[str, ...]) -> None:
    records = []
    for text in log.splitlines():
        try:
            records.append(json.loads(text))
        except ValueError:
            continue
    access = [record for record in records if isinstance(record, dict) and record.get("msg") == "request"]
    assert access, "no access log line was written"
    for line in access:
        assert ACCESS_LINE_FIELDS <= set(line) <= ACCESS_LINE_FIELDS | ACCESS_LINE_OPTIONAL, line
    # The contract suite signs in: its authenticated requests name their caller.
    assert any("user_id" in line for line in access) == ("auth" in tasks)


# schemathesis (property-based requests generated from /openapi.json) against the full
# renders: no 5xx, and every status, content type, header and body as documented. A
# fixed seed keeps a run reproducible; a few dozen cases per operation keep it near 30 s.
SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))
SCHEMATHESIS_CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
)
SCHEMATHESIS_SEED = "20261126"
SCHEMATHESIS_EXAMPLES = "25"


def _bearer_token(base_url: str) -> str:
    """An access token of a new (non-admin) account, signed up through the API."""
    account = {"email": f"schemathesis-{uuid.uuid4().hex}@example.com", "password": "fuzzing-password"}
    created = httpx.post(f"{base_url}/api/v1/users", json={**account, "name": "Schemathesis"})
    assert created.status_code == 201, created.text
    signed_in = httpx.post(f"{base_url}/api/v1/auth/token", json=account)
    assert signed_in.status_code == 200, signed_in.text
    return str(signed_in.json()["access_token"])


def run_schemathesis(base_url: str, tasks: tuple[str, ...], workdir: Path) -> str:
    """Every operation of the live server's /openapi.json, checked by schemathesis."""
    document = httpx.get(f"{base_url}/openapi.json").json()
    operations = sum(len(methods) for methods in document["paths"].values())
    authorization = f"Bearer {_bearer_token(base_url)}" if "auth" in tasks else None
    headers = ["--header", f"Authorization: {authorization}"] if authorization else []
    command = [
        SCHEMATHESIS,
        "run",
        f"{base_url}/openapi.json",
        *headers,
        "--checks",
        ",".join(SCHEMATHESIS_CHECKS),
        "--max-examples",
        SCHEMATHESIS_EXAMPLES,
        "--seed",
        SCHEMATHESIS_SEED,
        "--generation-database",
        "none",
        "--request-timeout",
        "10",
        "--no-color",
    ]
    # run() fails the test with schemathesis's report when it finds anything.
    output = run(command, cwd=workdir, timeout=300)
    assert f"Tested: {operations}" in output, output
    if authorization:
        # The token still works: the run was authenticated from start to end.
        me = httpx.get(f"{base_url}/api/v1/users/me", headers={"Authorization": authorization})
        assert me.status_code == 200, me.text
    return output


def _boot_and_probe(command: list[str], project: Path, env: dict[str, str], contract: ContractRun, log: Path) -> None:
    tasks, styles = contract.tasks, contract.styles
    env = {**env, **contract.server_settings()}
    # Logs go to a file: a pipe nobody reads could fill up and stall the server.
    with (
        log.open("wb") as output,
        subprocess.Popen(command, cwd=project, env=env, stdout=output, stderr=subprocess.STDOUT) as process,
    ):
        try:
            status, body = _wait_for(f"{contract.base_url}/health/ready", process)
            expected = {name: "ok" for task, name in (("database", "database"), ("cache", "redis")) if task in tasks}
            assert (status, body) == (200, {"status": "ok", "checks": expected})
            base_url = contract.base_url
            assert " passed" in run_contract_suite(contract, project)
            # Once per framework: the full render with every style.
            if tasks == FULL and styles == ALL_STYLES:
                print(run_schemathesis(base_url, tasks, log.parent))
            with ExitStack() as streams:
                # SIGTERM closes each open socket with 1001 before the server stops.
                opened = [streams.enter_context(open_events_socket(base_url, tasks))] if "websocket" in styles else []
                if {"graphql", "websocket"} <= set(styles):
                    opened.append(streams.enter_context(open_subscription(base_url, tasks)))
                # ... and the gRPC health service says NOT_SERVING first; an open stream never
                # holds the shutdown back.
                health = streams.enter_context(watch_health(env["GRPC_PORT"])) if "grpc" in styles else None
                process.send_signal(signal.SIGTERM)
                assert [closed_with(socket) for socket in opened] == [GOING_AWAY] * len(opened)
                if health is not None:
                    assert health.statuses()[-1] == NOT_SERVING, health.statuses()
            assert process.wait(timeout=30) == 0, "SIGTERM must end the server cleanly"
        finally:
            if process.poll() is None:
                process.kill()
            print(log.read_text())
    _assert_access_lines(log.read_text(), tasks)


@pytest.mark.services
@pytest.mark.parametrize(("framework", "tasks", "styles", "engine", "index"), CASES)
def test_generated_project_passes_its_own_tests_and_serves(
    copie: Copie,
    service_urls: dict[str, str],
    database_url: str,
    framework: str,
    tasks: tuple[str, ...],
    styles: tuple[str, ...],
    engine: str,
    index: int,
    tmp_path: Path,
) -> None:
    methods = sign_in_methods(tasks, styles)
    answers: dict[str, object] = {"auth_methods": list(methods)} if "auth" in tasks else {}
    if engine != "postgresql":
        answers["database"] = engine
    project = render(copie, framework=framework, tasks=list(tasks), api_styles=list(styles), **answers)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "VIRTUAL_ENV"))}
    env["DATABASE_URL"] = database_url
    env["REDIS_URL"] = _with_path(service_urls["REDIS_URL"], f"/{FIRST_REDIS_DATABASE + index}")
    # Run the project's own tests the way its CI workflow does: without the git-ignored .env.
    env_file = project / ".env"
    env_file.rename(tmp_path / "project.env")
    if framework == "fastapi":
        venv = project / ".venv"
        # The Docker image runs CPython 3.13: the full REST-only render runs its tests on it too.
        python = ["--python", python_313()] if (tasks, styles) == (FULL, ("rest",)) else []
        run([UV, "venv", "--quiet", *python, str(venv)], cwd=project)
        if python:
            assert run([str(venv / "bin" / "python"), "--version"], cwd=project).startswith("Python 3.13.")
        run([UV, "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), "-e", ".[dev]"], cwd=project)
        env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
        if engine == "mongodb":
            # Twice: its steps are recorded, the second run has nothing to do.
            for _ in range(2):
                run([str(venv / "bin" / "python"), "-m", "my_service", "migrate"], cwd=project, env=env)
        elif "database" in tasks:
            run(["alembic", "upgrade", "head"], cwd=project, env=env)
            # The models and the migrations describe the same schema: nothing left to generate.
            run(["alembic", "check"], cwd=project, env=env)
        output = run(["pytest", "-p", "no:cacheprovider"], cwd=project, env=env)
        serve = [str(venv / "bin" / "python"), "-m", "my_service", "serve"]
    else:
        # scripts/test puts Node 24 first on PATH, as the render's Dockerfile, CI and .nvmrc use.
        assert run(["node", "--version"], cwd=project, env=env).startswith("v24."), "the tests need Node 24"
        run(["npm", "install", "--no-audit", "--no-fund", "--prefer-offline"], cwd=project)
        # Built first: MongoDB's migrate steps run from dist/, as in the image.
        run(["npm", "run", "build"], cwd=project, env=env)
        if "database" in tasks:
            for _ in range(2 if engine == "mongodb" else 1):  # twice: recorded steps do not run again
                run(["npm", "run", "migrate"], cwd=project, env=env)
        output = run(["npm", "test"], cwd=project, env=env)
        serve = ["node", "dist/server.js"]
    print(output)
    assert " passed" in output.lower()
    (tmp_path / "project.env").rename(env_file)
    # The served render starts from an empty Redis, as a new deployment does. The project's
    # own tests leave counters there: their failed OAuth callbacks from 127.0.0.1 would spend
    # the contract suite's LOGIN_ATTEMPTS_PER_MINUTE whenever both fall in the same minute.
    run(["redis-cli", "-u", env["REDIS_URL"], "FLUSHDB"], cwd=project)
    with contract_run(tasks, styles, methods, tmp_path) as contract:
        _boot_and_probe(serve, project, env, contract, tmp_path / "server.log")
