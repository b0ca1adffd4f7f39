"""The PostgreSQL DDL that a render's migrations produce.

With a reachable PostgreSQL (DATABASE_URL, a role that may create databases):
create a throwaway database, run the project's own migrate command against it,
dump the schema with pg_dump, drop the database. Otherwise: the migration files
themselves, with a note saying why.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from skill.budget import Deadline
from skill.proc import StepFailed, project_env, run
from skill.schema import Schema
from skill.toolchains import node_modules, python_venv

CONNECT_TIMEOUT_SECONDS = 3
DROP_TIMEOUT_SECONDS = 5  # cleanup may run after the budget is spent; it stays short
MIGRATE = {"fastapi": "alembic upgrade head", "express": "npm run migrate"}
_DUMP_NOISE = ("--", "SET ", "SELECT pg_catalog.set_config(", "\\restrict", "\\unrestrict")


def database_schema(project: Path, framework: str, deadline: Deadline, cleanups: ExitStack) -> Schema:
    admin = os.environ.get("DATABASE_URL", "")
    if not admin:
        return migration_files(project, framework, "DATABASE_URL is not set")
    admin = _libpq_url(admin)
    missing = [tool for tool in ("psql", "pg_dump") if not shutil.which(tool)]
    if missing:
        return migration_files(project, framework, f"{' and '.join(missing)} not found on PATH")
    if framework == "express" and not shutil.which("npm"):
        return migration_files(project, framework, "npm not found on PATH")
    problem = _cannot_create_databases(admin, deadline)
    if problem:
        return migration_files(project, framework, problem)

    name = f"skill_{secrets.token_hex(6)}"
    url = _with_database(admin, name)
    cleanups.callback(_drop, admin, name)  # registered first: whatever happens next, it goes
    _psql(admin, f'CREATE DATABASE "{name}"', deadline)
    _migrate(project, framework, url, deadline)
    dump = run(
        ["pg_dump", "--schema-only", "--no-owner", "--no-privileges", url],
        cwd=project,
        deadline=deadline,
        env=_pg_env(),
    )
    return Schema(
        text=tidy_dump(dump),
        source="postgresql",
        note=f"pg_dump --schema-only of a throwaway database on {redact(admin)} after `{MIGRATE[framework]}`",
    )


def migration_files(project: Path, framework: str, why: str) -> Schema:
    folder = project / "migrations"
    files = (
        sorted((folder / "versions").glob("*.py"))
        if framework == "fastapi"
        else sorted(path for path in folder.glob("*") if path.is_file() and not path.name.startswith("."))
    )
    note = f"the migration files themselves, not DDL from a database: {why}"
    if not files:
        return Schema(text="-- migrations/ holds no migration yet\n", source="migration files", note=note)
    text = "\n".join(
        f"==> {path.relative_to(project).as_posix()} <==\n{path.read_text(encoding='utf-8')}" for path in files
    )
    return Schema(text=text, source="migration files", note=note)


def tidy_dump(dump: str) -> str:
    """The DDL alone: without pg_dump's comments, session settings and per-dump random keys."""
    lines: list[str] = []
    for line in dump.splitlines():
        if line.startswith(_DUMP_NOISE) or (not line.strip() and (not lines or not lines[-1].strip())):
            continue
        lines.append(line.rstrip())
    return "\n".join(lines).strip() + "\n"


def redact(url: str) -> str:
    """host:port/database, never the user or password."""
    parts = urlsplit(url)
    host = parts.hostname or "local socket"
    return f"{host}{f':{parts.port}' if parts.port else ''}{parts.path or '/'}"


def _libpq_url(url: str) -> str:
    # postgresql+asyncpg://... -> postgresql://... (psql and pg_dump know no drivers).
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme=parts.scheme.split("+", 1)[0]))


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _pg_env() -> dict[str, str]:
    return {**os.environ, "PGCONNECT_TIMEOUT": str(CONNECT_TIMEOUT_SECONDS)}


def _psql(url: str, sql: str, deadline: Deadline) -> str:
    command = ["psql", url, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql]
    return run(command, cwd=Path.cwd(), deadline=deadline, env=_pg_env()).strip()


def _cannot_create_databases(admin: str, deadline: Deadline) -> str:
    try:
        allowed = _psql(admin, "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user", deadline)
    except StepFailed as error:
        first = next(iter(str(error.stderr or "").strip().splitlines()), f"psql exited {error.returncode}")
        return f"PostgreSQL at {redact(admin)} is not reachable ({first})"
    return "" if allowed == "t" else f"the role of DATABASE_URL on {redact(admin)} may not create databases"


def _migrate(project: Path, framework: str, url: str, deadline: Deadline) -> None:
    if framework == "fastapi":
        venv = python_venv(deadline)
        path = f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"
        env = project_env(project, DATABASE_URL=url, PYTHONPATH=str(project / "src"), PATH=path)
        run(MIGRATE[framework].split(), cwd=project, deadline=deadline, env=env)
        return
    link = project / "node_modules"
    link.symlink_to(node_modules(deadline), target_is_directory=True)
    try:
        run(MIGRATE[framework].split(), cwd=project, deadline=deadline, env=project_env(project, DATABASE_URL=url))
    finally:
        link.unlink()  # the kept project (--dest) is what Copier rendered


def _drop(admin: str, name: str) -> None:
    cleanup = Deadline(DROP_TIMEOUT_SECONDS)
    try:
        _psql(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', cleanup)
    except Exception as error:  # noqa: BLE001  (cleanup must not hide the run's own result)
        print(f"could not drop the throwaway database {name}: {error}", file=sys.stderr)
