"""gRPC calls under load next to REST requests of the same render (README "Benchmarks").

For each framework: renders the working tree with every task and the grpc style, installs it
from the shared toolchain, seeds it through its API on throwaway PostgreSQL and Redis, and serves
it as in production (one process, logs on). It takes the render's own answers to `GetPost` (a
post from the cache) and `ListPosts` (50 posts with their authors), then loads, in alternating
rounds, the render and a bare gRPC server of the same library answering those same bytes, with
a grpcio asyncio driver in a process of its own (scripts/benchmark/grpc_load.py; many calls in
flight over several channels). The REST rows of the same render are loaded by wrk with the same
concurrency. The driver runs on the same 2 cores as the servers: against the fastest server it
may be the bottleneck, which makes the ratio look better than it is; the table says how many
calls the bare server took, so that can be judged.

    .venv/bin/python scripts/bench_grpc.py [--framework fastapi|express|both] [--seconds 5] [--json out.json]
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import cast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import grpc
from grpc_tools import protoc

from scripts.bench import SERVER_SETTINGS, start_services
from scripts.benchmark.errors import BenchError
from scripts.benchmark.processes import Ports, Server, start_server
from scripts.benchmark.projects import (
    ROOT,
    STACKS,
    Render,
    Stack,
    base_environment,
    create_database,
    drop_database,
    render,
    with_path,
)
from scripts.benchmark.seeding import API, PAGE, seed
from scripts.benchmark.wrk import Shape, WrkRun, run_wrk
from scripts.node import NodeError, node_bin
from scripts.services import Services

REDIS_DATABASES = {"fastapi": 5, "express": 6}
BARE = ROOT / "scripts" / "benchmark" / "bare"
CONCURRENCY, CHANNELS, ROUNDS = 64, 8, 3


@dataclass
class Row:
    label: str
    method: str
    rest_path: str
    app: list[dict[str, object]] = field(default_factory=list)
    bare: list[dict[str, object]] = field(default_factory=list)
    rest: list[WrkRun] = field(default_factory=list)

    @staticmethod
    def rate(runs: list[dict[str, object]]) -> float:
        return statistics.median(float(str(run["calls"])) / float(str(run["seconds"])) for run in runs)

    def line(self, framework: str) -> str:
        app, bare = self.rate(self.app), self.rate(self.bare)
        rest = statistics.median(run.rps for run in self.rest)
        p99 = statistics.median(float(str(run["p99_ms"])) for run in self.app)
        errors = sum(sum(cast("dict[str, int]", run["errors"]).values()) for run in self.app)
        return (
            f"| {framework} | {self.label} | {app:,.0f} | {bare:,.0f} | {app / bare:.2f} | {p99:.1f} "
            f"| {errors} | {rest:,.0f} |"
        )


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/bench_grpc.py", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--framework", choices=["fastapi", "express", "both"], default="both")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per round (default 5)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON to FILE")
    return parser.parse_args(argv)


def compile_messages(project: Render, output: Path) -> ModuleType:
    """The render's .proto compiled by grpcio-tools: its message classes."""
    root = project.path / "proto"
    (proto,) = root.rglob("*.proto")
    relative = proto.relative_to(root)
    output.mkdir(parents=True, exist_ok=True)
    if protoc.main(["protoc", f"-I{root}", f"--python_out={output}", str(relative)]) != 0:
        raise BenchError(f"protoc could not compile {proto}")
    sys.path.insert(0, str(output))
    return importlib.import_module(relative.with_suffix("").as_posix().replace("/", ".") + "_pb2")


def answer_of(target: str, method: str, request: bytes, token: str) -> bytes:
    """The render's answer to one call, as bytes: what the bare server will send."""
    with grpc.insecure_channel(target) as channel:
        call = channel.unary_unary(method, request_serializer=bytes, response_deserializer=bytes)
        return bytes(call(request, metadata=(("authorization", f"Bearer {token}"),), timeout=10))


def drive(target: str, method: str, request: bytes, seconds: float, token: str) -> dict[str, object]:
    command = [
        sys.executable,
        "-m",
        "scripts.benchmark.grpc_load",
        target,
        method,
        request.hex(),
        str(seconds),
        str(CONCURRENCY),
        str(CHANNELS),
        token,
    ]
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False, timeout=seconds + 60)
    if completed.returncode != 0:
        raise BenchError(f"the gRPC driver failed:\n{completed.stdout}{completed.stderr}")
    result: dict[str, object] = json.loads(completed.stdout.splitlines()[-1])
    return result


def bench_framework(framework: str, arguments: argparse.Namespace, urls: dict[str, str], workdir: Path) -> list[Row]:
    stack: Stack = STACKS[framework]()
    print(f"== {framework}: rendering the working tree (every task, REST and gRPC)", flush=True)
    project = render(framework, cached=True, destination=workdir / framework, styles=["rest", "grpc"])
    stack.prepare()
    stack.build(project)
    messages = compile_messages(project, workdir / f"{framework}-stubs")
    admin_url = urls["DATABASE_URL"]
    database = f"bench_grpc_{framework}_{secrets.token_hex(3)}"
    http_port, grpc_port = Ports().take(), Ports().take()
    env = {
        **base_environment(),
        **SERVER_SETTINGS,
        "DATABASE_URL": create_database(admin_url, database),
        "REDIS_URL": with_path(urls["REDIS_URL"], f"/{REDIS_DATABASES[framework]}"),
        "HOST": "127.0.0.1",
        "PORT": str(http_port),
        "GRPC_PORT": str(grpc_port),
    }
    with ExitStack() as exits:
        exits.callback(drop_database, admin_url, database)
        env = stack.environment(project, env)
        stack.migrate(project, env)
        app = start_server(
            framework,
            stack.serve_command(project),
            cwd=project.path,
            env=env,
            port=http_port,
            ready_path="/health/ready",
            log=workdir / f"{framework}.log",
        )
        exits.callback(app.stop)
        seeded = seed(app.url)
        package = f"{project.package_name}.v1.PostService"
        rows = [
            (
                Row("GetPost (cached)", f"/{package}/GetPost", f"{API}/posts/{seeded.post_id}"),
                messages.GetPostRequest(id=seeded.post_id).SerializeToString(),
            ),
            (
                Row(f"ListPosts({PAGE}) with authors", f"/{package}/ListPosts", f"{API}/posts?limit={PAGE}"),
                messages.ListPostsRequest(limit=PAGE).SerializeToString(),
            ),
        ]
        target = f"127.0.0.1:{grpc_port}"
        for row, request in rows:
            answer = answer_of(target, row.method, request, seeded.token)
            bare_port = Ports().take()
            bare = _start_bare(stack, project, bare_port, row.method, answer)
            try:
                for _ in range(ROUNDS):
                    row.bare.append(drive(f"127.0.0.1:{bare_port}", row.method, request, arguments.seconds, ""))
                    row.app.append(drive(target, row.method, request, arguments.seconds, seeded.token))
                    row.rest.append(
                        run_wrk(
                            app.url + row.rest_path,
                            Shape(CONCURRENCY, 2, int(arguments.seconds)),
                            headers={"Authorization": f"Bearer {seeded.token}"},
                        )
                    )
            finally:
                bare.stop()
            print(f"  {row.line(framework)}", flush=True)
        return [row for row, _ in rows]


def _start_bare(stack: Stack, project: Render, port: int, method: str, answer: bytes) -> Server:
    """A bare gRPC server of the framework's library, answering ``method`` with ``answer``."""
    if stack.name == "fastapi":
        python = stack.serve_command(project)[0]
        command = [python, str(BARE / "grpc_server.py"), str(port), method, answer.hex()]
    else:
        # Inside the render, so @grpc/grpc-js resolves from its node_modules.
        bare = project.path / "bench-bare-grpc.mjs"
        shutil.copyfile(BARE / "grpc_server.mjs", bare)
        command = ["node", str(bare), str(port), method, answer.hex()]
    log = project.path.parent / f"{stack.name}-bare-grpc.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=project.path, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(f"bare {stack.name} gRPC", f"grpc://127.0.0.1:{port}", process, log)
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        try:
            grpc.channel_ready_future(channel).result(timeout=30)
        except grpc.FutureTimeoutError:
            server.stop()
            raise BenchError(f"the bare gRPC server did not start:\n{server.log_tail()}") from None
    return server


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
            workdir = Path(tempfile.mkdtemp(prefix="copier-backend-bench-grpc-"))
            exits.callback(shutil.rmtree, workdir, ignore_errors=True)
            results = {framework: bench_framework(framework, arguments, urls, workdir) for framework in frameworks}
    except (BenchError, NodeError) as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    rounds = f"medians of {ROUNDS} rounds of {arguments.seconds:g} s"
    print(f"\n{CONCURRENCY} calls in flight over {CHANNELS} channels; {rounds}")
    print("| framework | call | render calls/s | bare gRPC calls/s | ratio | p99 ms | errors | REST req/s (wrk) |")
    print("|---|---|---|---|---|---|---|---|")
    for framework, rows in results.items():
        for row in rows:
            print(row.line(framework))
    if arguments.json:
        document = {
            framework: [{"label": row.label, "app": row.app, "bare": row.bare} for row in rows]
            for framework, rows in results.items()
        }
        arguments.json.write_text(json.dumps(document, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
