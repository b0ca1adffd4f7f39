"""One wrk run against a loopback URL, read back as numbers."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from scripts.benchmark.errors import BenchError

WRK = "/usr/bin/wrk"
RESULT_SCRIPT = Path(__file__).with_name("result.lua")
RESULT_PREFIX = "BENCH_RESULT "
# A request slower than this counts as a (timeout) error, not as a slow success.
TIMEOUT_SECONDS = 2
LOOPBACK = "127.0.0.1"


def find_wrk() -> str:
    found = WRK if Path(WRK).is_file() else shutil.which("wrk")
    if not found:
        raise BenchError(
            "wrk is not installed: the benchmark drives every server with it. "
            "Install it (Debian/Ubuntu: sudo apt-get install wrk; macOS: brew install wrk) and run again."
        )
    return found


@dataclass(frozen=True)
class WrkRun:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    socket_errors: int
    # Responses with a status of 400 or more (wrk counts these, never 2xx/3xx).
    status_errors: int
    # CPU time the server under load used during the run, when it could be read.
    server_cpu_seconds: float | None = None

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.socket_errors + self.status_errors

    @property
    def cpu_us_per_request(self) -> float | None:
        """Server CPU per request: steadier than req/s on a machine shared with other work."""
        if self.server_cpu_seconds is None or not self.requests:
            return None
        return self.server_cpu_seconds * 1e6 / self.requests


@dataclass(frozen=True)
class Shape:
    """How hard and how long wrk loads."""

    connections: int
    threads: int
    seconds: int


def run_wrk(url: str, shape: Shape, *, headers: dict[str, str], body: str | None = None) -> WrkRun:
    """Load ``url`` (GET, or POST of the JSON ``body``) as ``shape`` says; only loopback URLs are accepted."""
    connections, threads, seconds = shape.connections, shape.threads, shape.seconds
    if urlsplit(url).hostname != LOOPBACK:
        raise BenchError(f"refusing to load {url}: the benchmark only targets {LOOPBACK}")
    command = [
        find_wrk(),
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        f"--timeout={TIMEOUT_SECONDS}s",
        "--latency",
        f"--script={RESULT_SCRIPT}",
    ]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    arguments = ["--", body] if body is not None else []  # result.lua's init() reads it
    completed = subprocess.run(
        [*command, url, *arguments], capture_output=True, text=True, check=False, timeout=seconds + 60
    )
    line = next((line for line in completed.stdout.splitlines() if line.startswith(RESULT_PREFIX)), None)
    if completed.returncode != 0 or line is None:
        raise BenchError(
            f"wrk failed against {url} (exit {completed.returncode}):\n{completed.stdout}{completed.stderr}"
        )
    result = json.loads(line.removeprefix(RESULT_PREFIX))
    return WrkRun(
        requests=int(result["requests"]),
        seconds=int(result["duration_us"]) / 1e6,
        p50_ms=int(result["p50_us"]) / 1000,
        p99_ms=int(result["p99_us"]) / 1000,
        socket_errors=sum(int(result[kind]) for kind in ("connect", "read", "write", "timeout")),
        status_errors=int(result["status"]),
    )
