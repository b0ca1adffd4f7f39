"""A render served from the shared toolchains: installed, migrated, built, then waited for."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx
from toolchains import generate_stubs, node_modules, python_venv, run


def prepare(framework: str, project: Path, env: dict[str, str]) -> list[str]:
    """Install from the shared toolchain, migrate, build; the command that serves."""
    if framework == "fastapi":
        python = str(python_venv() / "bin" / "python")
        env["PYTHONPATH"] = str(project / "src")
        generate_stubs(project)
        run([python, "-m", "alembic", "upgrade", "head"], cwd=project, env=env)
        return [python, "-m", "my_service", "serve"]
    (project / "node_modules").symlink_to(node_modules(), target_is_directory=True)
    run(["npm", "run", "--silent", "migrate"], cwd=project, env=env)
    run(["npm", "run", "--silent", "build"], cwd=project, env=env)
    return ["node", "dist/server.js"]


def wait_ready(client: httpx.Client, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited before it was ready"
        try:
            if client.get("/health/ready").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"the server was not ready within {timeout:.0f} s")
