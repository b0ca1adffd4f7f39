"""Throwaway PostgreSQL, Redis and MongoDB-wire-protocol servers on free loopback ports, for the tests.

Used by scripts/run_tests.py when DATABASE_URL / REDIS_URL / MONGODB_URL are not set. As
root, missing servers are installed with apt-get; otherwise the message says
exactly what to install. No real mongod installs here (nor, without Docker, in CI): the
MongoDB URL is SecantusDB's ``secantusd-py``, a dev dependency of the template, which
speaks the wire protocol and presents itself as a one-node replica set. Each server runs
from a private temporary directory and is stopped by PID.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path


class ServiceError(Exception):
    """A server could not be provided; the message says what to do."""


def free_port() -> int:
    """A loopback port nothing listens on, kept from other processes until a server takes it.

    Bound and closed, a port would go back to the system, and any outgoing connection could
    take it first. Ended by a connection its listening side closes, it stays in TIME_WAIT:
    not handed out by the system, yet open to a server that sets SO_REUSEADDR (PostgreSQL,
    Redis, nginx, Node and uvicorn all do). The generated tests' ``tests/ports.py`` does the same.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        address = listener.getsockname()
        with socket.create_connection(address):
            accepted, _ = listener.accept()
            accepted.close()
        return int(address[1])


def _is_root() -> bool:
    return os.geteuid() == 0


def _apt_install(*packages: str) -> None:
    print(f"installing {' '.join(packages)} with apt-get ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=True, env=env, stdout=subprocess.DEVNULL)


def _postgres_bindir() -> Path | None:
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda initdb: int(initdb.parts[-3]) if initdb.parts[-3].isdigit() else 0,
        reverse=True,
    )
    if candidates:
        return Path(candidates[0]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _require(found: object, package: str, what: str) -> None:
    if found:
        return
    if _is_root() and shutil.which("apt-get"):
        _apt_install(package)
        return
    raise ServiceError(
        f"{what} is not installed. Install it (Debian/Ubuntu: sudo apt-get install {package}; "
        f"macOS: brew install {package.split('-', maxsplit=1)[0]}) or point {_env_for(package)} at a running server."
    )


REDIS_START_SECONDS = 10


def _answers_ping(port: int, process: subprocess.Popen[bytes], *, deadline: float) -> bool:
    """Whether the server on ``port`` answers PING before ``deadline`` (False once it exits)."""
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                if connection.recv(16).startswith(b"+PONG"):
                    return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


def _end(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _tail(log: Path, lines: int = 20) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"(no log at {log})"


def _env_for(package: str) -> str:
    return "DATABASE_URL" if package.startswith("postgresql") else "REDIS_URL"


@dataclass
class PostgresServer:
    """One throwaway PostgreSQL cluster in ``home``, on a free loopback port.

    ``stop`` and ``start`` may be called again: the cluster keeps its data and
    its port, as a database restart would (the outage tests rely on that).
    """

    home: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="copier-backend-postgres-")))
    port: int = field(default_factory=free_port)
    _initialised: bool = False

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def pg_ctl(self) -> list[str]:
        bindir = _postgres_bindir()
        assert bindir is not None
        return [*_as_postgres_user(), str(bindir / "pg_ctl"), "-D", str(self.home / "data")]

    @property
    def stop_command(self) -> list[str]:
        # Fast shutdown: sessions are terminated, as in a real restart.
        return [*self.pg_ctl, "-m", "fast", "-w", "stop"]

    def start(self) -> None:
        if not self._initialised:
            self._init()
        options = (
            f"-p {self.port} -k {self.home / 'sockets'} -c listen_addresses=127.0.0.1 -c max_connections=300 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run(
            [*self.pg_ctl, "-o", options, "-l", str(self.home / "postgres.log"), "-w", "start"],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def stop(self) -> None:
        subprocess.run(self.stop_command, check=True, stdout=subprocess.DEVNULL)

    def _init(self) -> None:
        _require(_postgres_bindir(), "postgresql", "PostgreSQL server (initdb, pg_ctl)")
        bindir = _postgres_bindir()
        assert bindir is not None
        (self.home / "sockets").mkdir(parents=True, exist_ok=True)
        if _is_root():  # PostgreSQL refuses to run as root: its files belong to the postgres user.
            for path in (self.home, self.home / "sockets"):
                shutil.chown(path, "postgres")
        subprocess.run(
            [
                *_as_postgres_user(),
                str(bindir / "initdb"),
                "-D",
                str(self.home / "data"),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self._initialised = True


@dataclass
class RedisServer:
    """One throwaway Redis on a free loopback port, nothing kept on disk.

    A child of this process, not a daemon: its pid is known at once, and a failed start
    leaves nothing behind. ``stop`` and ``start`` may be called again, on the same port.
    """

    home: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="copier-backend-redis-")))
    # Looked up when a server is made, so that a test can hand out a port that is taken.
    port: int = field(default_factory=lambda: free_port())  # noqa: PLW0108
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        _require(shutil.which("redis-server"), "redis-server", "Redis server (redis-server)")
        log = self.home / "redis.log"
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                # One logical database per test that needs its own: 33 and up for the
                # generated-project cases (tests/test_generated_projects.py), the ones below
                # for the multi-instance and fault tests.
                "--databases",
                "64",
                "--dir",
                str(self.home),
                "--logfile",
                str(log),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the test command, which stops it in order
        )
        if not _answers_ping(self.port, self.process, deadline=time.monotonic() + REDIS_START_SECONDS):
            self.stop()
            raise ServiceError(f"redis-server did not start on port {self.port}:\n{_tail(log)}")

    def stop(self) -> None:
        if self.process is not None:
            _end(self.process)
            self.process = None


MONGODB_START_SECONDS = 30


@dataclass
class MongoServer:
    """One throwaway SecantusDB (MongoDB wire protocol) on a free loopback port, data in ``home``.

    A child of this process, like Redis. ``stop`` and ``start`` may be called again: the data
    and the port are kept, as a restart of mongod would keep them.
    """

    home: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="copier-backend-mongodb-")))
    port: int = field(default_factory=lambda: free_port())  # noqa: PLW0108
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        # directConnection: the one node is the primary; transactions and change streams work on it.
        return f"mongodb://127.0.0.1:{self.port}/?directConnection=true"

    def start(self) -> None:
        program = Path(sys.executable).with_name("secantusd-py")
        if not program.exists():
            raise ServiceError(
                f"{program} is missing: it comes with the template's dev dependencies (scripts/test installs "
                f"them), or point MONGODB_URL at a running MongoDB replica set."
            )
        log = self.home / "secantusd.log"
        command = [str(program), "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "WARNING"]
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                [*command, "--storage-path", str(self.home / "data")],
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        if not self._answers_ping(deadline=time.monotonic() + MONGODB_START_SECONDS):
            self.stop()
            raise ServiceError(f"secantusd-py did not start on port {self.port}:\n{_tail(log)}")

    def _answers_ping(self, *, deadline: float) -> bool:
        from pymongo import MongoClient  # noqa: PLC0415  (a dev dependency, needed only here)
        from pymongo.errors import PyMongoError  # noqa: PLC0415

        while time.monotonic() < deadline and self.process is not None and self.process.poll() is None:
            client: MongoClient[dict[str, object]] = MongoClient(self.url, serverSelectionTimeoutMS=500)
            try:
                client.admin.command("ping")
            except PyMongoError:
                time.sleep(0.1)
            else:
                return True
            finally:
                client.close()
        return False

    def stop(self) -> None:
        if self.process is not None:
            _end(self.process)
            self.process = None


def _as_postgres_user() -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if _is_root() else []


@dataclass
class Services:
    """The servers this run started; stop() ends them, in reverse order."""

    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="copier-backend-services-")))
    env: dict[str, str] = field(default_factory=dict)
    redis: RedisServer | None = None
    _stops: list[tuple[str, list[str] | RedisServer | MongoServer]] = field(default_factory=list)
    _homes: list[Path] = field(default_factory=list)

    def start_postgres(self) -> str:
        server = PostgresServer()
        self._homes.append(server.home)
        try:
            server.start()
        except subprocess.CalledProcessError:
            # pg_ctl may give up while the postmaster still runs: stop it before saying so.
            subprocess.run([*server.pg_ctl, "-m", "immediate", "stop"], check=False, capture_output=True)
            raise ServiceError(f"PostgreSQL did not start:\n{_tail(server.home / 'postgres.log')}") from None
        self._stops.append(("postgres", server.stop_command))
        self.env["DATABASE_URL"] = server.url
        return server.url

    def start_redis(self) -> str:
        server = RedisServer(home=self.workdir)
        server.start()
        self.redis = server
        self._stops.append(("redis", server))
        self.env["REDIS_URL"] = server.url
        return server.url

    def start_mongodb(self) -> str:
        server = MongoServer(home=self.workdir / "mongodb")
        server.home.mkdir()
        server.start()
        self._stops.append(("mongodb", server))
        self.env["MONGODB_URL"] = server.url
        return server.url

    def stop(self) -> None:
        while self._stops:
            name, how = self._stops.pop()
            try:
                if isinstance(how, (RedisServer, MongoServer)):
                    how.stop()
                else:
                    subprocess.run(how, check=True, stdout=subprocess.DEVNULL)
            except (OSError, subprocess.CalledProcessError) as error:
                print(f"could not stop {name}: {error}")
        for home in (self.workdir, *self._homes):
            shutil.rmtree(home, ignore_errors=True)
