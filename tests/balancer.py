"""nginx in front of several instances of one render: round robin, on a free loopback port.

Debian's nginx, started by the test as a child (``daemon off``), so its pid is known and it
is stopped by it; everything it writes stays in a directory of its own.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Self

import pytest

from scripts.services import free_port

START_SECONDS = 10
RELOAD_SECONDS = 30
LOCK = Path(__file__).resolve().parent.parent / ".cache" / "nginx-install.lock"


def nginx_binary() -> str:
    found = _installed()
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        LOCK.parent.mkdir(parents=True, exist_ok=True)
        with LOCK.open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # test workers install it once, one after the other
            found = _installed() or _apt_install()
    if not found:
        pytest.fail("nginx is not installed: apt-get install nginx (Debian/Ubuntu) or brew install nginx")
    return found


def _installed() -> str | None:
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")


def _apt_install() -> str | None:
    # Debian's package starts a server on port 80 when installed: policy-rc.d forbids it.
    policy = Path("/usr/sbin/policy-rc.d")
    policy.write_text("#!/bin/sh\nexit 101\n")
    policy.chmod(0o755)
    try:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "nginx"], check=True, env=env, stdout=subprocess.DEVNULL)
    finally:
        policy.unlink()
    return _installed()


def _config(home: Path, port: int, upstreams: list[int], down: frozenset[int] = frozenset()) -> str:
    # max_fails=0: never set an instance aside on its own; ``down`` takes one out of rotation.
    # (Otherwise nginx skips an instance for 10 s after a refused connection, and may find
    # them all set aside during a rolling restart.)
    servers = "\n".join(
        f"        server 127.0.0.1:{upstream} max_fails=0{' down' if upstream in down else ''};"
        for upstream in upstreams
    )
    temp = "\n".join(
        f"    {kind}_temp_path {home / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""daemon off;
worker_processes 1;
pid {home / "nginx.pid"};
error_log {home / "error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
{temp}
    upstream app {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            # No upstream keepalive: a connection per request, so none that an instance closes
            # while it stops is used again.
            proxy_pass http://app;
            proxy_set_header Host $host;
            # Buffer in memory only: the workers (nobody, when run as root) write no files.
            proxy_max_temp_file_size 0;
            # A refused connection (an instance stopped) is tried on the next one; a write
            # that reached an instance is never sent twice (nginx's default).
            proxy_next_upstream error timeout;
            proxy_connect_timeout 2s;
        }}
    }}
}}
"""


def _children(pid: int) -> set[int]:
    try:
        return {int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


class Balancer:
    """nginx round robin over ``upstreams`` (ports on 127.0.0.1), while the ``with`` block runs."""

    def __init__(self, upstreams: list[int]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.upstreams = upstreams
        self.home = Path(tempfile.mkdtemp(prefix="copier-backend-nginx-"))
        self.home.chmod(0o755)
        (self.home / "nginx.conf").write_text(_config(self.home, self.port, upstreams))
        self._process: subprocess.Popen[bytes] | None = None

    def route_around(self, down: frozenset[int]) -> None:
        """Send no new request to the upstreams ``down``, once every request in flight is done.

        What a load balancer does before an instance is stopped in a rollout (Kubernetes:
        the endpoint removed, then the preStop pause): nginx reloads its configuration, and
        its old workers finish the requests they carry, then exit.
        """
        assert self._process is not None
        (self.home / "nginx.conf").write_text(_config(self.home, self.port, self.upstreams, down))
        old = _children(self._process.pid)
        self._process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + RELOAD_SECONDS
        while _children(self._process.pid) & old:
            if time.monotonic() > deadline:
                pytest.fail(f"nginx's old workers did not finish within {RELOAD_SECONDS} s")
            time.sleep(0.05)

    def __enter__(self) -> Self:
        self._process = subprocess.Popen(
            [
                nginx_binary(),
                "-p",
                str(self.home),
                "-c",
                str(self.home / "nginx.conf"),
                "-e",
                str(self.home / "error.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline and self._process.poll() is None:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.05)
        log = (self.home / "error.log").read_text(errors="replace") if (self.home / "error.log").exists() else ""
        self.__exit__(None, None, None)
        pytest.fail(f"nginx did not start on port {self.port}:\n{log}")

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()  # fast shutdown
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        errors = self.home / "error.log"
        if errors.exists():  # shown with a failing test's output
            print("nginx error.log, last lines:\n" + "\n".join(errors.read_text(errors="replace").splitlines()[-15:]))
        shutil.rmtree(self.home, ignore_errors=True)
