"""Renders of the working tree, installed from the shared toolchains, migrated, served.

The installs are the shared ones of ``skill/toolchains.py``: one venv / node_modules
per version of the framework's dependency file, built from a render with every
task, so a benchmark run installs nothing the test suite has already installed.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

import yaml
from copier import run_copy
from pymongo import MongoClient

from extensions import databases
from extensions.tasks import NAMES
from scripts.benchmark.errors import BenchError
from skill.toolchains import generate_stubs, node_modules, python_venv

ROOT = Path(__file__).resolve().parent.parent.parent
ALL_TASKS = list(NAMES)
WITHOUT_CACHE = [task for task in ALL_TASKS if task != "cache"]
# The MongoDB render: every task it serves but cache (reads go to MongoDB), REST only.
MONGODB = "mongodb"
BARE_APPS = Path(__file__).with_name("bare")
# Bare apps plus only the HTTP contract's own work on three routes (README "Benchmarks").
FLOOR_APPS = Path(__file__).with_name("floor")
OUTPUT_TAIL_CHARS = 4000


@dataclass(frozen=True)
class Render:
    framework: str
    cached: bool
    path: Path
    package_name: str
    database: str = databases.DEFAULT

    @property
    def label(self) -> str:
        if self.database != databases.DEFAULT:
            return self.database
        return "cache" if self.cached else "no cache"


def render(
    framework: str, *, cached: bool, destination: Path, styles: list[str] | None = None, database: str | None = None
) -> Render:
    """The working tree (uncommitted edits included) with every task, or every task but cache;
    ``styles`` beside REST (GraphQL unless given). With ``database`` (another engine): every
    task it serves but cache, REST only."""
    data: dict[str, object] = {
        "framework": framework,
        "tasks": ALL_TASKS if cached else WITHOUT_CACHE,
        "api_styles": ["rest", "graphql"] if styles is None else styles,
    }
    if database is not None:
        served = databases.reach(database, "tasks", ALL_TASKS)
        data |= {
            "database": database,
            "tasks": [task for task in served if task != "cache" or cached],
            "api_styles": list(databases.reach(database, "api_styles", ["rest"])),
            "auth_methods": list(databases.reach(database, "auth_methods", ["jwt"])),
        }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # DirtyLocalWarning: rendering uncommitted edits is the point.
        run_copy(str(ROOT), str(destination), data=data, defaults=True, unsafe=True, quiet=True, vcs_ref="HEAD")
    answers = yaml.safe_load((destination / ".copier-answers.yml").read_text())
    return Render(framework, cached, destination, str(answers["package_name"]), database or databases.DEFAULT)


def run(command: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> str:
    completed = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=900)
    output = completed.stdout + completed.stderr
    if completed.returncode != 0:
        tail = output[-OUTPUT_TAIL_CHARS:]
        raise BenchError(f"{' '.join(command)} exited {completed.returncode} in {cwd}:\n{tail}")
    return output


def with_path(url: str, path: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def base_environment() -> dict[str, str]:
    """This process's environment without what would point a child at another install."""
    dropped = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "NODE_PATH")
    return {key: value for key, value in os.environ.items() if key not in dropped and not key.startswith("PYTEST_")}


class Stack(Protocol):
    """What differs between the frameworks: install, migrate, serve, and the bare app."""

    name: str

    def prepare(self) -> None: ...

    def build(self, project: Render, /) -> None: ...

    def environment(self, project: Render, env: dict[str, str], /) -> dict[str, str]: ...

    def migrate(self, project: Render, env: dict[str, str], /) -> None: ...

    def serve_command(self, project: Render, /) -> list[str]: ...

    def bare_command(self, project: Render, port: int, /) -> list[str]: ...

    def floor_command(self, project: Render, port: int, /) -> list[str]: ...

    def versions(self) -> dict[str, str]: ...


class FastAPIStack:
    name = "fastapi"

    def __init__(self) -> None:
        self._venv: Path | None = None

    @property
    def venv(self) -> Path:
        if self._venv is None:
            raise BenchError("the FastAPI toolchain is not prepared")
        return self._venv

    def prepare(self) -> None:
        self._venv = python_venv()

    def build(self, project: Render) -> None:
        # Nothing to compile but the gRPC stubs (with grpc): the shared venv holds the
        # dependencies, src/ the package.
        generate_stubs(project.path)

    def environment(self, project: Render, env: dict[str, str]) -> dict[str, str]:
        return {**env, "PYTHONPATH": str(project.path / "src")}

    def migrate(self, project: Render, env: dict[str, str]) -> None:
        if project.database == MONGODB:
            run([str(self.venv / "bin" / "python"), "-m", project.package_name, "migrate"], cwd=project.path, env=env)
            return
        run([str(self.venv / "bin" / "alembic"), "upgrade", "head"], cwd=project.path, env=env)

    def serve_command(self, project: Render) -> list[str]:
        return [str(self.venv / "bin" / "python"), "-m", project.package_name, "serve"]

    def bare_command(self, _project: Render, port: int) -> list[str]:
        return [str(self.venv / "bin" / "python"), str(BARE_APPS / "fastapi_app.py"), str(port)]

    def floor_command(self, project: Render, port: int) -> list[str]:
        # Run with environment(): the render's package (its logging, its health route) imports.
        floor = FLOOR_APPS / "fastapi_floor.py"
        return [str(self.venv / "bin" / "python"), str(floor), str(port), project.package_name]

    def versions(self) -> dict[str, str]:
        site = next((self.venv / "lib").glob("python*/site-packages"))
        return {
            name: _distribution_version(site, name)
            for name in ("fastapi", "uvicorn", "pydantic", "sqlalchemy", "redis")
        }


def _distribution_version(site_packages: Path, name: str) -> str:
    found = list(importlib.metadata.distributions(name=name, path=[str(site_packages)]))
    return found[0].version if found else "?"


class ExpressStack:
    name = "express"

    def prepare(self) -> None:
        self._modules = node_modules()
        for tool in ("node", "npm"):
            if not shutil.which(tool):
                raise BenchError(f"{tool} is required for the Express benchmark; install Node.js 20 or newer.")

    def build(self, project: Render) -> None:
        (project.path / "node_modules").symlink_to(self._modules, target_is_directory=True)
        run(["npm", "run", "build"], cwd=project.path, env=base_environment())

    def environment(self, _project: Render, env: dict[str, str]) -> dict[str, str]:
        return env

    def migrate(self, project: Render, env: dict[str, str]) -> None:
        run(["npm", "run", "migrate"], cwd=project.path, env=env)

    def serve_command(self, _project: Render) -> list[str]:
        return ["node", "dist/server.js"]

    def bare_command(self, project: Render, port: int) -> list[str]:
        # Inside the render, so `express` resolves from its node_modules.
        bare = project.path / "bench-bare.mjs"
        shutil.copyfile(BARE_APPS / "express_app.mjs", bare)
        return ["node", str(bare), str(port)]

    def floor_command(self, project: Render, port: int) -> list[str]:
        # Inside the built render: it imports the render's dist/ (logger, security headers).
        floor = project.path / "bench-floor.mjs"
        shutil.copyfile(FLOOR_APPS / "express_floor.mjs", floor)
        return ["node", str(floor), str(port)]

    def versions(self) -> dict[str, str]:
        package = json.loads((self._modules / "express" / "package.json").read_text())
        node = run(["node", "--version"], cwd=Path.cwd()).strip()
        return {"express": str(package["version"]), "node": node}


STACKS: dict[str, type[FastAPIStack | ExpressStack]] = {"fastapi": FastAPIStack, "express": ExpressStack}


def create_database(admin_url: str, name: str) -> str:
    """A fresh, empty database; ``drop_database`` removes it."""
    run(
        ["psql", admin_url, "-q", "-c", f'DROP DATABASE IF EXISTS "{name}"', "-c", f'CREATE DATABASE "{name}"'],
        cwd=Path.cwd(),
    )
    return with_path(admin_url, f"/{name}")


def create_mongodb_database(server_url: str, name: str) -> str:
    """The URL of database ``name`` on this MongoDB server (it exists once written to)."""
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def drop_mongodb_database(server_url: str, name: str) -> None:
    client: MongoClient[dict[str, object]] = MongoClient(server_url, serverSelectionTimeoutMS=5000)
    try:
        client.drop_database(name)
    finally:
        client.close()


def drop_database(admin_url: str, name: str) -> None:
    run(["psql", admin_url, "-q", "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], cwd=Path.cwd())
