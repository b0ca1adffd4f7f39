"""Both stacks' MongoDB migrate steps build the same collections (DESIGN.md §MongoDB).

Renders FastAPI and Express with ``database=mongodb`` and every task MongoDB serves, runs
each one's migrate command twice into a database of its own on the MongoDB-wire-protocol
server the tests start, then compares what the server itself reports: the collections with
their options (the ``$jsonSchema`` validators), and every index with its keys and options.
The steps' bookkeeping (the ``migrations`` collection's documents) is compared too.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from conftest import ENGINE_RENDERS, render
from pymongo import MongoClient
from pytest_copie.plugin import Copie
from toolchains import node_modules, python_venv, run

from skill.mongo_schema import describe

pytestmark = pytest.mark.services

Document = dict[str, Any]


@pytest.fixture
def databases(mongodb_url: str) -> Iterator[dict[str, str]]:
    """An empty database per framework, dropped afterwards."""
    token = uuid.uuid4().hex[:8]
    names = {framework: f"parity_{token}_{framework}" for framework in ("fastapi", "express")}
    parts = urlsplit(mongodb_url)
    client: MongoClient[Document] = MongoClient(mongodb_url)
    try:
        yield {
            framework: urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
            for framework, name in names.items()
        }
    finally:
        for name in names.values():
            client.drop_database(name)
        client.close()


def _environment(database_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "VIRTUAL_ENV"))}
    env["DATABASE_URL"] = database_url
    return env


def migrate_fastapi(project: Path, database_url: str) -> None:
    env = _environment(database_url)
    # The shared venv holds the dependencies; the project's own package comes from src/.
    env["PYTHONPATH"] = str(project / "src")
    run([str(python_venv() / "bin" / "python"), "-m", "my_service", "migrate"], cwd=project, env=env)


def migrate_express(project: Path, database_url: str) -> None:
    if not (project / "node_modules").exists():
        (project / "node_modules").symlink_to(node_modules(), target_is_directory=True)
        # The steps run from dist/, as in the image.
        run(["npm", "run", "build"], cwd=project, env=_environment(database_url))
    run(["npm", "run", "migrate"], cwd=project, env=_environment(database_url))


@pytest.mark.parametrize(("tasks", "styles", "engine"), ENGINE_RENDERS)
def test_both_stacks_migrate_to_the_same_collections(
    copie: Copie, databases: dict[str, str], tasks: tuple[str, ...], styles: tuple[str, ...], engine: str
) -> None:
    answers = {"tasks": list(tasks), "api_styles": list(styles), "database": engine}
    fastapi = render(copie, framework="fastapi", **answers)
    express = render(copie, framework="express", **answers)
    for _ in range(2):  # the second run finds every step recorded and changes nothing
        migrate_fastapi(fastapi, databases["fastapi"])
        migrate_express(express, databases["express"])

    expected = describe(databases["fastapi"])
    actual = describe(databases["express"])
    assert {"users", "posts", "migrations"} <= set(expected["collections"])
    assert expected["steps"]
    for name in ("users", "posts"):
        assert "$jsonSchema" in expected["collections"][name].get("validator", {}), name
    for aspect in ("collections", "indexes", "steps"):
        assert actual[aspect] == expected[aspect], f"{aspect} differ between the FastAPI and Express migrations"
