"""The installs every render that runs code shares: one venv, one node_modules.

The skill runner, the template's tests and the benchmark all use them. Each is
built once per version of the framework's dependency file, from a render with
every task and every offered API style, and one per other offered database engine
with all that engine serves (together, their dependencies, dev extras included,
are a superset of any render's), in ``.cache/toolchains/<framework>-<digest>``, under a file lock so
parallel runs and pytest-xdist workers build it once. A build cut short (by a
skill's budget) leaves no ``ready`` mark and is redone by the next caller;
``python -m skill --prepare`` builds both outside any budget.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from extensions import auth_methods, databases, styles
from extensions.tasks import NAMES
from skill import ROOT
from skill.budget import Deadline
from skill.proc import run
from skill.render import render

CACHE = ROOT / ".cache" / "toolchains"
LOCK_POLL_SECONDS = 0.1


def uv() -> Path:
    beside = Path(sys.executable).with_name("uv")
    found = beside if beside.is_file() else shutil.which("uv")
    if not found:
        raise RuntimeError("uv is needed for FastAPI renders: install this repository's pyproject.toml")
    return Path(found)


# The render whose dependencies every other render's are a subset of.
FULL_ANSWERS: dict[str, list[str]] = {
    "tasks": list(NAMES),
    "api_styles": list(styles.OFFERED),
    "auth_methods": list(auth_methods.OFFERED),
}


def _engine_answers() -> list[dict[str, object]]:
    """A render per offered engine besides the default, with every task and style it serves."""
    answers: list[dict[str, object]] = []
    for engine in databases.OFFERED:
        if engine == databases.DEFAULT:
            continue
        answers.append(
            {
                "tasks": list(databases.reach(engine, "tasks", NAMES)),
                "api_styles": list(databases.reach(engine, "api_styles", styles.OFFERED)),
                "auth_methods": list(databases.reach(engine, "auth_methods", auth_methods.OFFERED)),
                "database": engine,
            }
        )
    return answers


def generate_stubs(project: Path) -> None:
    """A FastAPI render served from the shared venv, not installed: its gRPC stubs, as its
    build would write them (its hatch_build.py; nothing to do without the grpc style)."""
    if (project / "hatch_build.py").is_file():
        run([python_venv() / "bin" / "python", "hatch_build.py"], cwd=project, deadline=Deadline(None))


def python_venv(deadline: Deadline | None = None) -> Path:
    """A venv with every dependency, dev extras included, of a FastAPI render."""
    deadline = deadline or Deadline(None)
    home = _home("fastapi", "pyproject.toml.jinja")
    venv = home / "venv"
    with _locked(home.with_suffix(".lock"), deadline):
        if not (home / "ready").exists():
            project = _full_render("fastapi", home / "project")
            run(
                [uv(), "venv", "--quiet", "--allow-existing", "--python", sys.executable, venv],
                cwd=home,
                deadline=deadline,
            )
            install: list[str | Path] = [uv(), "pip", "install", "--quiet", "--python", venv / "bin" / "python"]
            engines = [
                _full_render("fastapi", home / f"project-{n}", answers) for n, answers in enumerate(_engine_answers())
            ]
            requirements = [arg for other in (project, *engines) for arg in ("-r", other / "pyproject.toml")]
            run([*install, *requirements, "--extra", "dev"], cwd=project, deadline=deadline)
            (home / "ready").touch()
    return venv


def node_modules(deadline: Deadline | None = None) -> Path:
    """node_modules with every dependency, dev ones included, of an Express render."""
    deadline = deadline or Deadline(None)
    home = _home("express", "package.json.jinja")
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
            # What another engine's renders add (its driver), beside the full render's own.
            extra = _missing_packages(
                project,
                (
                    _full_render("express", home / f"project-{n}", answers)
                    for n, answers in enumerate(_engine_answers())
                ),
            )
            if extra:
                npm_install = ["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefer-offline"]
                run([*npm_install, *extra], cwd=project, deadline=deadline, env=env)
            (home / "ready").touch()
    return project / "node_modules"


def _home(framework: str, dependency_file: str) -> Path:
    """Keyed on the dependency file and every task's or style's part of it (``_parts/``)."""
    tree = ROOT / "template" / framework
    stem = Path(dependency_file).name.split(".")[0]  # pyproject, package
    files = [tree / dependency_file, *sorted(tree.glob(f"**/_parts/{stem}-*"))]
    digest = hashlib.sha256(repr((FULL_ANSWERS, _engine_answers())).encode())
    for file in files:
        digest.update(file.relative_to(tree).as_posix().encode() + b"\0" + file.read_bytes())
    return CACHE / f"{framework}-{digest.hexdigest()[:12]}"


def _missing_packages(project: Path, others: Iterable[Path]) -> list[str]:
    """``name@version`` of each dependency of ``others`` that ``project``'s package.json lacks."""
    ours = json.loads((project / "package.json").read_text())
    have = {*ours.get("dependencies", {}), *ours.get("devDependencies", {})}
    missing: dict[str, str] = {}
    for other in others:
        theirs = json.loads((other / "package.json").read_text())
        declared = {**theirs.get("dependencies", {}), **theirs.get("devDependencies", {})}
        missing |= {name: version for name, version in declared.items() if name not in have}
    return [f"{name}@{version}" for name, version in sorted(missing.items())]


def _full_render(framework: str, destination: Path, answers: Mapping[str, object] | None = None) -> Path:
    shutil.rmtree(destination, ignore_errors=True)  # what an interrupted build left
    answers = {"framework": framework, **(answers or FULL_ANSWERS)}
    render(destination, answers, run_tasks=False)
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
