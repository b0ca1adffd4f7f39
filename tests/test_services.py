"""scripts/services.py, which scripts/test uses: servers start, stop and leave nothing behind.

Each test starts its own PostgreSQL and Redis next to the run's, and checks by process id
and by port that what it started is gone again, also when a start fails half way.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from scripts import services
from scripts.services import ServiceError, Services


def _alive(pid: int) -> bool:
    """Running: a process that has exited but is not reaped yet (a zombie) does not count."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _redis_on(port: int) -> list[int]:
    """The pids of redis-servers started for ``port``, as started or as they retitle themselves."""
    patterns = (f"--port\0{port}\0".encode(), f"redis-server 127.0.0.1:{port}".encode())
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command_line = (entry / "cmdline").read_bytes()
                if b"redis-server" in command_line and any(p in command_line for p in patterns):
                    found.append(int(entry.name))
            except OSError:
                continue  # gone meanwhile
    return found


def _postmaster_pid(home: Path) -> int:
    return int((home / "data" / "postmaster.pid").read_text().splitlines()[0])


def _started(servers: Services) -> tuple[list[int], list[int], list[Path]]:
    """The pids and ports of the servers ``servers`` runs, and its directories."""
    postgres_home = next(home for home in servers._homes if (home / "data").exists())  # noqa: SLF001  (what it started)
    assert servers.redis is not None
    assert servers.redis.process is not None
    redis = servers.redis.process
    ports = [int(url.rsplit(":", 1)[1].split("/")[0]) for url in servers.env.values()]
    return [_postmaster_pid(postgres_home), redis.pid], ports, [servers.workdir, postgres_home]


def test_starting_and_stopping_again_and_again_leaves_nothing_running() -> None:
    for _round in range(3):
        servers = Services()
        try:
            servers.start_postgres()
            servers.start_redis()
            pids, ports, homes = _started(servers)
            assert all(_alive(pid) for pid in pids)
            assert all(_listening(port) for port in ports)
        finally:
            servers.stop()
        assert not any(_alive(pid) for pid in pids)
        assert not any(_listening(port) for port in ports)
        assert not any(home.exists() for home in homes)


def test_a_start_that_fails_half_way_leaves_nothing_running(monkeypatch: pytest.MonkeyPatch) -> None:
    servers = Services()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy_port = taken.getsockname()[1]
        try:
            servers.start_postgres()
            postgres_pid = _postmaster_pid(next(home for home in servers._homes if (home / "data").exists()))  # noqa: SLF001
            # Redis is given a port another process holds: it cannot bind and exits.
            monkeypatch.setattr(services, "free_port", lambda: busy_port)
            with pytest.raises(ServiceError, match=f"redis-server did not start on port {busy_port}"):
                servers.start_redis()
        finally:
            servers.stop()
    assert not _alive(postgres_pid)
    assert _redis_on(busy_port) == []
    assert not servers.workdir.exists()
    assert [name for name, _how in servers._stops] == []  # noqa: SLF001
