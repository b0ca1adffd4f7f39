"""Both stacks' migrations build the same PostgreSQL schema (DESIGN.md §3).

Renders FastAPI and Express with [api, database] and with [api, database, auth],
migrates each into a fresh
database of its own (alembic / node-pg-migrate), then compares what PostgreSQL
itself reports: tables, columns, constraints and indexes. The migration
bookkeeping tables (alembic_version, pgmigrations) are the only difference allowed.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import render
from pytest_copie.plugin import Copie
from toolchains import node_modules, python_venv, run

pytestmark = pytest.mark.services

# Each query lists one aspect of the public schema, one line per item, in a stable order,
# leaving out the migration tools' bookkeeping tables.
CATALOGUE = {
    "tables": """
        SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
          AND table_name NOT IN ('alembic_version', 'pgmigrations')
        ORDER BY 1""",
    "columns": """
        SELECT table_name, ordinal_position, column_name, data_type, character_maximum_length,
               numeric_precision, datetime_precision, is_nullable, column_default
        FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name NOT IN ('alembic_version', 'pgmigrations')
        ORDER BY table_name, ordinal_position""",
    # Primary keys, unique, check and foreign-key constraints (ON DELETE included in the definition).
    "constraints": """
        SELECT c.conrelid::regclass::text, c.conname, c.contype, pg_get_constraintdef(c.oid)
        FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
        WHERE n.nspname = 'public' AND c.conrelid::regclass::text NOT IN ('alembic_version', 'pgmigrations')
        ORDER BY 1, 2""",
    # From "USING" on, an index definition no longer names the schema or table.
    "indexes": """
        SELECT t.relname, i.relname, x.indisunique, x.indisprimary,
               substring(pg_get_indexdef(x.indexrelid) FROM ' USING .*$')
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'public' AND t.relname NOT IN ('alembic_version', 'pgmigrations')
        ORDER BY 1, 2""",
}


def _with_database(url: str, name: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


@pytest.fixture
def databases(service_urls: dict[str, str]) -> Iterator[dict[str, str]]:
    """An empty database per framework, dropped afterwards."""
    admin = service_urls["DATABASE_URL"]
    token = uuid.uuid4().hex[:8]
    names = {framework: f"parity_{token}_{framework}" for framework in ("fastapi", "express")}
    for name in names.values():
        run(["psql", admin, "-q", "-c", f'CREATE DATABASE "{name}"'], cwd=Path.cwd())
    try:
        yield {framework: _with_database(admin, name) for framework, name in names.items()}
    finally:
        for name in names.values():
            run(["psql", admin, "-q", "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], cwd=Path.cwd())


def _environment(database_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "VIRTUAL_ENV"))}
    env["DATABASE_URL"] = database_url
    return env


def migrate_fastapi(project: Path, database_url: str) -> None:
    venv = python_venv()
    env = _environment(database_url)
    # The shared venv holds the dependencies; the project's own package comes from src/.
    env["PYTHONPATH"] = str(project / "src")
    run([str(venv / "bin" / "alembic"), "upgrade", "head"], cwd=project, env=env)


def migrate_express(project: Path, database_url: str) -> None:
    (project / "node_modules").symlink_to(node_modules(), target_is_directory=True)
    run(["npm", "run", "migrate"], cwd=project, env=_environment(database_url))


def describe_schema(database_url: str) -> dict[str, list[str]]:
    return {
        aspect: run(["psql", database_url, "-X", "-A", "-t", "-F", " | ", "-c", query], cwd=Path.cwd()).splitlines()
        for aspect, query in CATALOGUE.items()
    }


@pytest.mark.parametrize(
    ("tasks", "methods", "tables"),
    [
        (["api", "database"], ["jwt"], ["posts", "users"]),
        (["api", "database", "auth"], ["jwt"], ["posts", "refresh_tokens", "users"]),
        (
            ["api", "database", "auth"],
            ["jwt", "oauth"],
            ["identities", "login_codes", "oauth_states", "posts", "refresh_tokens", "users"],
        ),
    ],
    ids=["database", "auth", "oauth"],
)
def test_both_stacks_migrate_to_the_same_schema(
    copie: Copie, databases: dict[str, str], tasks: list[str], methods: list[str], tables: list[str]
) -> None:
    answers = {"tasks": tasks, **({"auth_methods": methods} if "auth" in tasks else {})}
    fastapi = render(copie, framework="fastapi", **answers)
    express = render(copie, framework="express", **answers)
    assert fastapi != express

    migrate_fastapi(fastapi, databases["fastapi"])
    migrate_express(express, databases["express"])

    expected = describe_schema(databases["fastapi"])
    actual = describe_schema(databases["express"])
    assert expected["tables"] == tables
    for aspect in CATALOGUE:
        assert actual[aspect] == expected[aspect], f"{aspect} differ between the FastAPI and Express schemas"
