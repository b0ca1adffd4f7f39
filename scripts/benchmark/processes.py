"""Servers under test: started in their own process group, stopped by that group's id."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from scripts.benchmark.errors import BenchError
from scripts.services import free_port

READY_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 30
LOG_TAIL_CHARS = 4000
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


class Ports:
    """Free loopback ports: any the OS offers, or only those of a given range."""

    def __init__(self, first: int | None = None, last: int | None = None) -> None:
        self._candidates = iter(range(first, last + 1)) if first is not None and last is not None else None

    def take(self) -> int:
        if self._candidates is None:
            return free_port()
        for port in self._candidates:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
                try:
                    probe.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
        raise BenchError("no free port left in the --ports range")


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def cpu_seconds(self) -> float | None:
        """CPU time the server has used so far (Linux /proc), or None where that cannot be read."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        # utime and stime, the 14th and 15th fields of the whole line.
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def log_tail(self) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return text[-LOG_TAIL_CHARS:]

    def stop(self) -> None:
        """SIGTERM to the whole group (graceful shutdown), SIGKILL if it outlives the grace period."""
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            self.process.wait()


def start_server(  # noqa: PLR0913  (what to run, where, and how to know it is up)
    name: str, command: list[str], *, cwd: Path, env: dict[str, str], port: int, ready_path: str, log: Path
) -> Server:
    """Start ``command`` and wait until ``ready_path`` answers 200; the log says why when it does not."""
    with log.open("wb") as output:
        # A session of its own: Ctrl-C in the terminal reaches the benchmark, which
        # then stops each server itself, and the group id reaches every child.
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(name, f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while True:
        if process.poll() is not None:
            raise BenchError(f"{name} exited with {process.returncode} before it was ready:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(server.url + ready_path, timeout=5) as response:  # noqa: S310  (loopback URL built here)
                if response.status == 200:
                    return server
        except urllib.error.HTTPError:
            pass  # Up, but not ready yet (a readiness check still failing).
        except OSError:
            pass  # Not listening yet.
        if time.monotonic() > deadline:
            server.stop()
            raise BenchError(f"{name} was not ready within {READY_TIMEOUT_SECONDS} s:\n{server.log_tail()}")
        time.sleep(0.2)
