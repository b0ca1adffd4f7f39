"""Run every test of the template against real PostgreSQL, Redis and a MongoDB-wire-protocol server.

DATABASE_URL (a superuser URL: the tests create one database per generated
project), REDIS_URL and MONGODB_URL (a replica set: transactions) are used when set; otherwise throwaway servers are
started for this run and stopped afterwards. Arguments are passed to pytest.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from types import FrameType
from typing import NoReturn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.node import NodeError, node_bin
from scripts.services import ServiceError, Services

PYTEST_NO_TESTS = 5
INTERRUPT_SECONDS = 20


def _on_sigterm(_signum: int, _frame: FrameType | None) -> NoReturn:
    # Unwind as Ctrl-C does: pytest is ended and the servers this run started are stopped.
    raise KeyboardInterrupt


def _run_pytest(command: list[str], root: Path, env: dict[str, str]) -> int:
    """pytest in a process group of its own, so that an interruption ends everything it started."""
    process = subprocess.Popen(command, cwd=root, env=env, start_new_session=True)
    try:
        return process.wait()
    except KeyboardInterrupt:
        # As Ctrl-C would: pytest stops its workers and runs the tests' teardowns. Then
        # whatever is left in its group (a project's own test run, a server) is killed.
        for sig, seconds in ((signal.SIGINT, INTERRUPT_SECONDS), (signal.SIGKILL, INTERRUPT_SECONDS)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=seconds)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        raise


def main(argv: list[str]) -> int:
    root = Path(__file__).resolve().parent.parent
    for tool, package in (("npm", "nodejs and npm"), ("git", "git")):
        if not shutil.which(tool):
            print(f"{tool} is required by the tests; install {package}.")
            return 1
    signal.signal(signal.SIGTERM, _on_sigterm)
    services = Services()
    try:
        # The Express renders run on Node 24, whatever Node the machine has (scripts/node.py).
        path = f"{node_bin(root)}{os.pathsep}{os.environ.get('PATH', '')}"
        if "DATABASE_URL" not in os.environ:
            print(f"started PostgreSQL at {services.start_postgres()}", flush=True)
        if "REDIS_URL" not in os.environ:
            print(f"started Redis at {services.start_redis()}", flush=True)
        if "MONGODB_URL" not in os.environ:
            print(f"started a MongoDB-wire-protocol server (SecantusDB) at {services.start_mongodb()}", flush=True)
        if not shutil.which("psql"):
            print("psql is required to create test databases; install postgresql-client.")
            return 1
        workers = os.environ.get("PYTEST_WORKERS", str(min(os.cpu_count() or 1, 4)))
        command = [sys.executable, "-m", "pytest", "-n", workers, "--dist", "loadgroup", *argv]
        env = {**os.environ, **services.env, "PATH": path}
        code = _run_pytest(command, root, env)
    except (ServiceError, NodeError) as error:
        print(error)
        return 1
    finally:
        services.stop()
    if code == PYTEST_NO_TESTS:
        print("no test was collected: that is a failure here.")
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
