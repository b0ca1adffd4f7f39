"""Installs shared by every run, so a run does not install: one venv, one node_modules.

Each is built once per version of the framework's dependency file, from a
render with every task (its dependencies are a superset of any render's), under
a file lock so parallel runs build it once. A build cut short (by the budget)
leaves no ``ready`` mark and is redone by the next run; ``python -m skill
--prepare`` builds both outside any budget.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import sys
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from extensions.validation import TASKS
from skill import CACHE, ROOT
from skill.budget import Deadline
from skill.proc import run
from skill.render import render

LOCK_POLL_SECONDS = 0.1


def uv() -> Path:
    beside = Path(sys.executable).with_name("uv")
    found = beside if beside.is_file() else shutil.which("uv")
    if not found:
        raise RuntimeError("uv is needed for FastAPI renders: install this repository's pyproject.toml")
    return Path(found)


def python_venv(deadline: Deadline) -> Path:
    """A venv with the run-time dependencies of a FastAPI render."""
    home = _home("fastapi", "pyproject.toml.jinja", f"py{sys.version_info.major}{sys.version_info.minor}")
    venv = home / "venv"
    with _locked(home.with_suffix(".lock"), deadline):
        if not (home / "ready").exists():
            project = _full_render("fastapi", home / "project")
            pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
            requirements = home / "requirements.txt"
            requirements.write_text("\n".join(pyproject["project"]["dependencies"]) + "\n", encoding="utf-8")
            run(
                [uv(), "venv", "--quiet", "--allow-existing", "--python", sys.executable, venv],
                cwd=home,
                deadline=deadline,
            )
            run(
                [uv(), "pip", "install", "--quiet", "--python", venv / "bin" / "python", "-r", requirements],
                cwd=home,
                deadline=deadline,
            )
            (home / "ready").touch()
    return venv


def node_modules(deadline: Deadline) -> Path:
    """node_modules with every dependency of an Express render."""
    home = _home("express", "package.json.jinja", "node")
    project = home / "project"
    with _locked(home.with_suffix(".lock"), deadline):
        if not (home / "ready").exists():
            _full_render("express", project)
            env = {name: value for name, value in os.environ.items() if name != "NODE_ENV"}  # devDependencies too
            run(
                ["npm", "install", "--no-audit", "--no-fund", "--prefer-offline"],
                cwd=project,
                deadline=deadline,
                env=env,
            )
            (home / "ready").touch()
    return project / "node_modules"


def _home(framework: str, dependency_file: str, runtime: str) -> Path:
    digest = hashlib.sha256((ROOT / "template" / framework / dependency_file).read_bytes()).hexdigest()[:12]
    return CACHE / f"{framework}-{runtime}-{digest}"


def _full_render(framework: str, destination: Path) -> Path:
    shutil.rmtree(destination, ignore_errors=True)  # what an interrupted build left
    render(destination, {"framework": framework, "tasks": list(TASKS)}, run_tasks=False)
    (destination / ".env").unlink(missing_ok=True)  # only installs live here: no secrets
    return destination


@contextmanager
def _locked(path: Path, deadline: Deadline) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as lock:
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                deadline.check(f"waiting for another run to finish building {path.stem}")
                time.sleep(LOCK_POLL_SECONDS)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
