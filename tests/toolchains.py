"""Installs shared across renders, so the matrix does not install per render.

One Python venv and one node_modules per version of the framework's dependency
file: both come from a render with every task (a superset of any other
render's dependencies). xdist workers build them once, under a file lock.
"""

from __future__ import annotations

import fcntl
import hashlib
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from copier import run_copy

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "toolchains"
UV = str(Path(sys.executable).with_name("uv"))
ALL_TASKS = ["api", "database", "auth", "cache", "optimize"]


@contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _key(framework: str, dependency_file: str) -> str:
    source = (ROOT / "template" / framework / dependency_file).read_bytes()
    return f"{framework}-{hashlib.sha256(source).hexdigest()[:12]}"


def render_full(framework: str, destination: Path) -> Path:
    run_copy(
        str(ROOT),
        str(destination),
        data={"framework": framework, "tasks": ALL_TASKS},
        defaults=True,
        unsafe=True,
        skip_tasks=True,
        quiet=True,
        vcs_ref="HEAD",
    )
    return destination


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 600) -> str:
    """Run a command; on failure, fail with its whole output (what a user would need to see)."""
    completed = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=timeout)
    output = completed.stdout + completed.stderr
    if completed.returncode != 0:
        raise AssertionError(f"{' '.join(command)} exited {completed.returncode} in {cwd}:\n{output}")
    return output


def python_venv() -> Path:
    """A venv holding every dependency (dev extras included) of a full FastAPI render."""
    home = CACHE / _key("fastapi", "pyproject.toml.jinja")
    with _exclusive(home.with_suffix(".lock")):
        venv = home / "venv"
        if not (home / "ready").exists():
            project = render_full("fastapi", home / "project")
            run([UV, "venv", "--quiet", "--allow-existing", str(venv)], cwd=home)
            run(
                [
                    UV,
                    "pip",
                    "install",
                    "--quiet",
                    "--python",
                    str(venv / "bin" / "python"),
                    "-r",
                    "pyproject.toml",
                    "--extra",
                    "dev",
                ],
                cwd=project,
            )
            (home / "ready").touch()
        return venv


def node_modules() -> Path:
    """node_modules holding every dependency of a full Express render."""
    home = CACHE / _key("express", "package.json.jinja")
    with _exclusive(home.with_suffix(".lock")):
        project = home / "project"
        if not (home / "ready").exists():
            render_full("express", project)
            run(["npm", "install", "--no-audit", "--no-fund", "--prefer-offline"], cwd=project)
            (home / "ready").touch()
        return project / "node_modules"
