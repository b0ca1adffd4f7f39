"""Throughput of rendered projects next to a bare app of their framework (README "Benchmarks").

For each framework: renders the working tree with every task and again without
``cache``, installs both from the shared toolchains (skill/toolchains.py), gives
each a fresh database on PostgreSQL (and Redis), migrates and seeds it through its
API, then serves it as in production (one process, logs on) next to a bare app of
the same framework, and loads both with wrk in alternating rounds. Then the same
for the framework's floor (benchmark/floor/: the bare app plus only the HTTP
contract's own work on three routes), which shows what those routes could reach
on this stack. Prints, per framework, each endpoint's throughput as a ratio to
the bare app against its target, then the main endpoints again at 256 connections. Everything it starts
is stopped again, on failure and on Ctrl-C too.

    .venv/bin/python scripts/bench.py [--framework fastapi|express|both] [--json out.json]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import secrets
import shutil
import signal
import sys
import tempfile
import uuid
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import NoReturn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.benchmark.arguments import parse_arguments
from scripts.benchmark.errors import BenchError
from scripts.benchmark.measure import (
    TARGET_CACHED_READ,
    TARGET_ME,
    TARGET_PAGE,
    Comparison,
    Endpoint,
    Load,
    Saturation,
    compare,
    saturate,
)
from scripts.benchmark.processes import Ports, Server, start_server
from scripts.benchmark.projects import (
    MONGODB,
    ROOT,
    STACKS,
    Render,
    Stack,
    base_environment,
    create_database,
    create_mongodb_database,
    drop_database,
    drop_mongodb_database,
    render,
    with_path,
)
from scripts.benchmark.report import FrameworkResult, as_json, comparison_table, graphql_line, saturation_table
from scripts.benchmark.seeding import API, GRAPHQL_PAGE, PAGE, check_ok, read_post_twice, seed
from scripts.benchmark.wrk import find_wrk
from scripts.node import NodeError, node_bin
from scripts.services import ServiceError, Services

HIGH_CONNECTIONS = 256
# Production-like, except what would measure something else: the rate limit is lifted
# (one client sends every request) and the access token outlives the longest run.
SERVER_SETTINGS = {
    "RATE_LIMIT_PER_MINUTE": "1000000",
    "ACCESS_TOKEN_TTL_SECONDS": "86400",
    "LOG_LEVEL": "info",
}
# Each framework's cached render, and each floor, gets its own Redis database.
REDIS_DATABASES = {"fastapi": 1, "express": 2}
FLOOR_REDIS_DATABASES = {"fastapi": 3, "express": 4}
FLOOR = "floor"
GRAPHQL_ROW = f"POST /graphql posts(first: {PAGE})"
ROW_ORDER = [
    "GET /health/live",
    "GET /api/v1/users/me",
    "GET /api/v1/posts/{id}",
    f"GET /api/v1/posts?limit={PAGE}",
    GRAPHQL_ROW,
]


def _endpoints(project: Render, post_id: str, x_cache: str | None) -> list[Endpoint]:
    read, page = f"{API}/posts/{post_id}", f"{API}/posts?limit={PAGE}"
    if project.database == MONGODB:
        # Beside PostgreSQL's rows: the caller's look-up, a post by id and a page with authors,
        # each read from MongoDB (no cache). No goal: the server is a MongoDB-wire-protocol
        # reimplementation, not mongod.
        return [
            Endpoint("GET /api/v1/users/me", f"{API}/users/me", project.label, None, saturate=False),
            Endpoint("GET /api/v1/posts/{id}", read, project.label, None, saturate=False),
            Endpoint(f"GET /api/v1/posts?limit={PAGE}", page, project.label, None, saturate=False),
        ]
    if not project.cached:
        return [Endpoint("GET /api/v1/posts/{id}", read, project.label, None, saturate=True)]
    return [
        Endpoint("GET /health/live", "/health/live", project.label, None, saturate=False),
        Endpoint("GET /api/v1/users/me", f"{API}/users/me", project.label, TARGET_ME, saturate=True),
        Endpoint("GET /api/v1/posts/{id}", read, project.label, TARGET_CACHED_READ, saturate=True, x_cache=x_cache),
        Endpoint(f"GET /api/v1/posts?limit={PAGE}", page, project.label, TARGET_PAGE, saturate=True),
        # Its goal is against the REST page above (report.graphql_share), not the bare app.
        Endpoint(GRAPHQL_ROW, "/graphql", project.label, None, saturate=False, body=GRAPHQL_PAGE),
    ]


RENDER_ORDER = ["cache", "no cache", MONGODB, FLOOR]


def _row_key(endpoint: Endpoint) -> tuple[int, int]:
    return ROW_ORDER.index(endpoint.label), RENDER_ORDER.index(endpoint.render)


def _warm_cache(project: Render, app: Server, token: str, post_id: str) -> str | None:
    x_cache = read_post_twice(app.url, token, post_id)
    if project.cached and x_cache is not None and x_cache != "HIT":
        raise BenchError(f"the second GET {API}/posts/{{id}} answered X-Cache: {x_cache}, expected HIT")
    if project.cached and x_cache is None:
        print(f"    note: GET {API}/posts/{{id}} sends no X-Cache header: this render does not cache it yet")
    return x_cache


@dataclass
class Session:
    """What every framework's run shares: load settings, services, ports, the work dir and the clean-up."""

    load: Load
    urls: dict[str, str]
    ports: Ports
    workdir: Path
    exits: ExitStack


def _measure_render(
    session: Session, stack: Stack, project: Render, bare: Server
) -> tuple[list[Comparison], list[Saturation]]:
    database = f"bench_{stack.name}_{project.label.replace(' ', '_')}_{secrets.token_hex(3)}"
    if project.database == MONGODB:
        server_url = session.urls["MONGODB_URL"]
        database_url = create_mongodb_database(server_url, database)
        session.exits.callback(drop_mongodb_database, server_url, database)
    else:
        admin_url = session.urls["DATABASE_URL"]
        database_url = create_database(admin_url, database)
        session.exits.callback(drop_database, admin_url, database)
    env = {
        **base_environment(),
        **SERVER_SETTINGS,
        "DATABASE_URL": database_url,
        "REDIS_URL": with_path(session.urls["REDIS_URL"], f"/{REDIS_DATABASES[stack.name]}"),
    }
    env = stack.environment(project, env)
    stack.migrate(project, env)
    port = session.ports.take()
    env |= {"HOST": "127.0.0.1", "PORT": str(port)}
    command = stack.serve_command(project)
    log = session.workdir / f"{stack.name}-{project.label.replace(' ', '-')}.log"
    print(f"  serving the {project.label} render: {' '.join(command)}", flush=True)
    app = start_server(
        f"{stack.name} ({project.label})",
        command,
        cwd=project.path,
        env=env,
        port=port,
        ready_path="/health/ready",
        log=log,
    )
    session.exits.callback(app.stop)
    try:
        seeded = seed(app.url)
        x_cache = _warm_cache(project, app, seeded.token, seeded.post_id)
        load = dataclasses.replace(session.load, headers={"Authorization": f"Bearer {seeded.token}"})
        comparisons, saturations = [], []
        for endpoint in _endpoints(project, seeded.post_id, x_cache):
            check_ok(app.url, seeded.token, endpoint.path, endpoint.body)
            print(f"  {endpoint.label} [{endpoint.render}] next to the bare app", flush=True)
            comparisons.append(compare(load, endpoint, bare, app))
        for comparison in comparisons:
            if comparison.endpoint.saturate:
                print(
                    f"  {comparison.endpoint.label} [{comparison.endpoint.render}] at {HIGH_CONNECTIONS} connections",
                    flush=True,
                )
                saturations.append(saturate(load, comparison, app, HIGH_CONNECTIONS))
    finally:
        app.stop()
    return comparisons, saturations


def _measure_floor(session: Session, stack: Stack, project: Render, bare: Server) -> list[Comparison]:
    """The floor app (served from ``project``, for its logging and health modules) next to the bare app."""
    port = session.ports.take()
    redis_url = with_path(session.urls["REDIS_URL"], f"/{FLOOR_REDIS_DATABASES[stack.name]}")
    env = stack.environment(project, {**base_environment(), "REDIS_URL": redis_url})
    command = stack.floor_command(project, port)
    print(f"  serving the floor: {' '.join(command)}", flush=True)
    floor = start_server(
        f"{stack.name} floor",
        command,
        cwd=project.path,
        env=env,
        port=port,
        ready_path="/health/live",
        log=session.workdir / f"{stack.name}-floor.log",
    )
    session.exits.callback(floor.stop)
    # Any bearer token: the floor only remembers it, as the render remembers a verified one.
    load = dataclasses.replace(session.load, headers={"Authorization": "Bearer floor"})
    routes = [
        ("GET /health/live", "/health/live"),
        ("GET /api/v1/users/me", f"{API}/users/me"),
        ("GET /api/v1/posts/{id}", f"{API}/posts/{uuid.uuid4()}"),
    ]
    comparisons = []
    try:
        for label, path in routes:
            endpoint = Endpoint(label, path, FLOOR, None, saturate=False)
            print(f"  {label} [{FLOOR}] next to the bare app", flush=True)
            comparisons.append(compare(load, endpoint, bare, floor))
    finally:
        floor.stop()
    return comparisons


def bench_framework(session: Session, framework: str) -> FrameworkResult:
    stack: Stack = STACKS[framework]()
    print(f"== {framework}: rendering the working tree (every task, every task but cache, and on MongoDB)", flush=True)
    projects = [
        *(
            render(framework, cached=cached, destination=session.workdir / f"{framework}-{label}")
            for cached, label in ((True, "cache"), (False, "no-cache"))
        ),
        render(framework, cached=False, destination=session.workdir / f"{framework}-{MONGODB}", database=MONGODB),
    ]
    print(f"== {framework}: installing from the shared toolchain, building, migrating", flush=True)
    stack.prepare()
    for project in projects:
        stack.build(project)
    port = session.ports.take()
    bare = start_server(
        f"bare {framework}",
        stack.bare_command(projects[0], port),
        cwd=projects[0].path,
        env=base_environment(),
        port=port,
        ready_path="/",
        log=session.workdir / f"{framework}-bare.log",
    )
    session.exits.callback(bare.stop)
    result = FrameworkResult(framework, stack.versions())
    for project in projects:
        comparisons, saturations = _measure_render(session, stack, project, bare)
        result.comparisons += comparisons
        result.saturations += saturations
    result.comparisons += _measure_floor(session, stack, projects[0], bare)
    bare.stop()
    result.comparisons.sort(key=lambda comparison: _row_key(comparison.endpoint))
    result.saturations.sort(key=lambda saturation: _row_key(saturation.endpoint))
    return result


def start_services(services: Services) -> dict[str, str]:
    urls = {name: os.environ[name] for name in ("DATABASE_URL", "REDIS_URL", "MONGODB_URL") if os.environ.get(name)}
    try:
        if "MONGODB_URL" not in urls:
            urls["MONGODB_URL"] = services.start_mongodb()
            print(f"started a MongoDB-wire-protocol server (SecantusDB) at {urls['MONGODB_URL']}")
        if "DATABASE_URL" not in urls:
            urls["DATABASE_URL"] = services.start_postgres()
            print(f"started PostgreSQL at {urls['DATABASE_URL']}")
        if "REDIS_URL" not in urls:
            urls["REDIS_URL"] = services.start_redis()
            print(f"started Redis at {urls['REDIS_URL']}")
    except ServiceError as error:
        raise BenchError(str(error)) from None
    return urls


class Terminated(Exception):  # noqa: N818  (a signal, not an error)
    """SIGTERM: unwinds like Ctrl-C does, so every server and service is stopped."""


def _on_sigterm(_signum: int, _frame: FrameType | None) -> NoReturn:
    raise Terminated


def run(arguments: argparse.Namespace) -> list[FrameworkResult]:
    find_wrk()  # Fail before anything starts when wrk is missing.
    load = Load(
        threads=arguments.threads,
        connections=arguments.connections,
        seconds=arguments.duration,
        warmup_seconds=arguments.warmup,
        rounds=arguments.rounds,
        headers={},
    )
    if not shutil.which("psql"):
        raise BenchError("psql is required to create the benchmark databases; install postgresql-client.")
    frameworks = ["fastapi", "express"] if arguments.framework == "both" else [arguments.framework]
    if "express" in frameworks:
        # Express renders run on Node 24, as in their Dockerfile (scripts/node.py).
        try:
            os.environ["PATH"] = f"{node_bin(ROOT)}{os.pathsep}{os.environ.get('PATH', '')}"
        except NodeError as error:
            raise BenchError(str(error)) from error
    ports = Ports(*arguments.ports) if arguments.ports else Ports()
    print(
        "servers: one process each on 127.0.0.1, logs on (to files), docs as default, DB_POOL_SIZE as default; "
        + ", ".join(f"{name}={value}" for name, value in SERVER_SETTINGS.items())
        + " (the rate limit is lifted: every request comes from one client)"
    )
    print(
        f"machine: {os.cpu_count()} CPUs shared by wrk, the servers, PostgreSQL and Redis; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    with ExitStack() as exits:
        services = Services()
        exits.callback(services.stop)
        urls = start_services(services)
        workdir = Path(tempfile.mkdtemp(prefix="copier-backend-bench-"))
        exits.callback(shutil.rmtree, workdir, ignore_errors=True)
        session = Session(load, urls, ports, workdir, exits)
        results = [bench_framework(session, framework) for framework in frameworks]
    for result in results:
        print()
        print(comparison_table(result, load))
        print()
        print(saturation_table(result, load, HIGH_CONNECTIONS))
        print()
        print(graphql_line(result, f"GET {API}/posts?limit={PAGE}", GRAPHQL_ROW))
    if arguments.json:
        settings = {**SERVER_SETTINGS, "high_connections": HIGH_CONNECTIONS, "cpus": os.cpu_count()}
        arguments.json.write_text(json.dumps(as_json(results, load, settings), indent=2) + "\n")
        print(f"\nwrote {arguments.json}")
    return results


def main(argv: list[str]) -> int:
    arguments = parse_arguments(argv)
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        run(arguments)
    except BenchError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, Terminated) as stop:
        print("interrupted; everything the benchmark started is stopped", file=sys.stderr)
        return 143 if isinstance(stop, Terminated) else 130
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
