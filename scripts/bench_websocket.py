"""Live post events under load (README "Benchmarks"): many sockets on one server process.

For each framework: renders the working tree with every task and the websocket style,
installs it from the shared toolchain, and on throwaway PostgreSQL and Redis, for each
client count: serves it as in production (a new process, logs on), opens that many sockets,
posts once per interval for a few seconds and reports: the server's memory per socket,
the latency from an event's ``occurred_at`` to its receipt (p50/p99, over a sample of
sockets), and the events lost on sockets the server kept open. The clients run in this
process, on the same machine: at high counts they compete with the server for the CPU.

    .venv/bin/python scripts/bench_websocket.py [--framework fastapi|express|both] [--clients 1000,5000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shutil
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.bench import SERVER_SETTINGS, start_services
from scripts.benchmark.errors import BenchError
from scripts.benchmark.processes import Ports, start_server
from scripts.benchmark.projects import (
    ROOT,
    STACKS,
    Stack,
    base_environment,
    create_database,
    drop_database,
    render,
    with_path,
)
from scripts.benchmark.seeding import seed
from scripts.benchmark.sockets import Shape, SocketRun, run_sockets
from scripts.node import NodeError, node_bin
from scripts.services import Services

REDIS_DATABASES = {"fastapi": 3, "express": 4}


def _counts(text: str) -> list[int]:
    counts = [int(part) for part in text.split(",")]
    if any(count < 1 for count in counts):
        raise argparse.ArgumentTypeError("client counts must be 1 or more")
    return counts


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/bench_websocket.py", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--framework", choices=["fastapi", "express", "both"], default="both")
    parser.add_argument("--clients", type=_counts, default=[1000, 5000], help="socket counts (default 1000,5000)")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds of posting per count (default 5)")
    parser.add_argument("--interval-ms", type=float, default=10.0, help="between two posts (default 10)")
    parser.add_argument("--sample", type=int, default=100, help="sockets whose latencies are taken (default 100)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON to FILE")
    return parser.parse_args(argv)


def _row(framework: str, run: SocketRun) -> str:
    p50, p99 = run.percentile(0.5), run.percentile(0.99)
    latency = "n/a" if p50 is None or p99 is None else f"{p50:.1f} / {p99:.1f}"
    closed = ", ".join(f"{code}: {count}" for code, count in sorted(run.closed.items())) or "none"
    return (
        f"| {framework} | {run.clients} | {run.opened} | {run.kib_per_socket:.1f} | {run.posts} in "
        f"{run.posting_seconds:.1f} s | {latency} | {run.delivered} / {run.expected} | {run.lost} | {closed} |"
    )


def bench_framework(
    framework: str, arguments: argparse.Namespace, urls: dict[str, str], workdir: Path
) -> list[SocketRun]:
    stack: Stack = STACKS[framework]()
    print(f"== {framework}: rendering the working tree (every task, REST and WebSocket)", flush=True)
    project = render(framework, cached=True, destination=workdir / framework, styles=["rest", "websocket"])
    stack.prepare()
    stack.build(project)
    admin_url = urls["DATABASE_URL"]
    database = f"bench_ws_{framework}_{secrets.token_hex(3)}"
    env = {
        **base_environment(),
        **SERVER_SETTINGS,
        "DATABASE_URL": create_database(admin_url, database),
        "REDIS_URL": with_path(urls["REDIS_URL"], f"/{REDIS_DATABASES[framework]}"),
        "WS_MAX_CONNECTIONS": str(max(arguments.clients) + 100),
    }
    with ExitStack() as exits:
        exits.callback(drop_database, admin_url, database)
        env = stack.environment(project, env)
        stack.migrate(project, env)
        runs = []
        token = None
        for clients in arguments.clients:
            # A fresh server process per count: what the sockets of one count take is not
            # hidden in the heap an earlier count grew and then freed.
            port = Ports().take()
            app = start_server(
                framework,
                stack.serve_command(project),
                cwd=project.path,
                env=env | {"HOST": "127.0.0.1", "PORT": str(port)},
                port=port,
                ready_path="/health/ready",
                log=workdir / f"{framework}-{clients}.log",
            )
            try:
                token = token or seed(app.url).token
                shape = f"a post every {arguments.interval_ms:g} ms for {arguments.seconds:g} s"
                print(f"  {clients} sockets, {shape}", flush=True)
                runs.append(
                    asyncio.run(
                        run_sockets(
                            app.url,
                            token,
                            app.process.pid,
                            Shape(clients, arguments.seconds, arguments.interval_ms / 1000, arguments.sample),
                        )
                    )
                )
            finally:
                app.stop()
        return runs


def main(argv: list[str]) -> int:
    arguments = parse_arguments(argv)
    frameworks = ["fastapi", "express"] if arguments.framework == "both" else [arguments.framework]
    try:
        if "express" in frameworks:
            os.environ["PATH"] = f"{node_bin(ROOT)}{os.pathsep}{os.environ.get('PATH', '')}"
        with ExitStack() as exits:
            services = Services()
            exits.callback(services.stop)
            urls = start_services(services)
            workdir = Path(tempfile.mkdtemp(prefix="copier-backend-bench-ws-"))
            exits.callback(shutil.rmtree, workdir, ignore_errors=True)
            results = {framework: bench_framework(framework, arguments, urls, workdir) for framework in frameworks}
    except (BenchError, NodeError) as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    print()
    print(
        "| framework | sockets | open | server KiB per socket | posts | latency p50 / p99 ms "
        "| delivered | lost | closed by the server |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for framework, runs in results.items():
        for run in runs:
            print(_row(framework, run))
    if arguments.json:
        document = {framework: [asdict(run) for run in runs] for framework, runs in results.items()}
        arguments.json.write_text(json.dumps(document, indent=2) + "\n")
        print(f"\nwrote {arguments.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
