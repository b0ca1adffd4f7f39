"""The collections, validators and indexes that a MongoDB render's migrate steps create.

With a reachable MongoDB (MONGODB_URL: a server, or a replica set's members): run the
project's own migrate command into a throwaway database, read back what the server reports
(listCollections with each collection's options, listIndexes), drop the database. Otherwise:
the source files of the migrate steps, with a note saying why.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pymongo import MongoClient
from pymongo.errors import PyMongoError

from skill.budget import Deadline
from skill.ddl import redact
from skill.proc import project_env, run
from skill.schema import Schema
from skill.toolchains import node_modules, python_venv

SERVER_SELECTION_MS = 3000
MIGRATE = {"fastapi": "python -m {package} migrate", "express": "npm run build && npm run migrate"}
# What an index is, beside its name: the server's version field says nothing of the design.
INDEX_FIELDS = ("key", "unique", "collation", "expireAfterSeconds", "partialFilterExpression", "sparse")

Document = dict[str, Any]


def mongodb_schema(project: Path, framework: str, package: str, deadline: Deadline, cleanups: ExitStack) -> Schema:
    server = os.environ.get("MONGODB_URL", "")
    if not server:
        return step_files(project, "MONGODB_URL is not set")
    problem = _unreachable(server)
    if problem:
        return step_files(project, problem)
    name = f"skill_{secrets.token_hex(6)}"
    url = with_database(server, name)
    cleanups.callback(_drop, server, name)  # registered first: whatever happens next, it goes
    _migrate(project, framework, package, url, deadline)
    return Schema(
        text=json.dumps(describe(url), indent=2, default=str) + "\n",
        source="mongodb",
        note=(
            f"listCollections and listIndexes of a throwaway database on {redact(server)} after "
            f"`{MIGRATE[framework].format(package=package)}`"
        ),
    )


def describe(database_url: str) -> dict[str, Any]:
    """The collections (options, so validators, included) and their indexes, in a stable order."""
    client: MongoClient[Document] = MongoClient(database_url, serverSelectionTimeoutMS=SERVER_SELECTION_MS)
    try:
        database = client.get_default_database()
        collections = {
            found["name"]: found.get("options", {})
            for found in sorted(database.list_collections(), key=lambda found: str(found["name"]))
            if not str(found["name"]).startswith("system.")
        }
        indexes = {
            name: sorted(
                (
                    {"name": index["name"], **{field: index[field] for field in INDEX_FIELDS if field in index}}
                    for index in database[name].list_indexes()
                ),
                key=lambda index: str(index["name"]),
            )
            for name in collections
        }
        steps = sorted(str(step["_id"]) for step in database["migrations"].find({}, {"_id": 1}))
        return {"collections": collections, "indexes": indexes, "steps": steps}
    finally:
        client.close()


def step_files(project: Path, why: str) -> Schema:
    """The migrate steps' source files (the database folder's files about migrations)."""
    folders = [path for path in (project / "src").rglob("database") if path.is_dir()]
    files = sorted(
        path
        for folder in folders
        for path in folder.rglob("*")
        if path.is_file() and ("migrat" in path.name or "steps" in path.relative_to(folder).parts)
    )
    note = f"the migrate steps' source files, not what a server reports: {why}"
    text = "\n".join(
        f"==> {path.relative_to(project).as_posix()} <==\n{path.read_text(encoding='utf-8')}" for path in files
    )
    return Schema(text=text, source="migration files", note=note)


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _unreachable(server: str) -> str:
    client: MongoClient[Document] = MongoClient(server, serverSelectionTimeoutMS=SERVER_SELECTION_MS)
    try:
        client.admin.command("ping")
    except PyMongoError as error:
        first = next(iter(str(error).splitlines()), type(error).__name__)
        return f"MongoDB at {redact(server)} is not reachable ({first[:200]})"
    finally:
        client.close()
    return ""


def _migrate(project: Path, framework: str, package: str, url: str, deadline: Deadline) -> None:
    if framework == "fastapi":
        venv = python_venv(deadline)
        env = project_env(project, DATABASE_URL=url, PYTHONPATH=str(project / "src"))
        run([venv / "bin" / "python", "-m", package, "migrate"], cwd=project, deadline=deadline, env=env)
        return
    link = project / "node_modules"
    link.symlink_to(node_modules(deadline), target_is_directory=True)
    try:
        env = project_env(project, DATABASE_URL=url)
        # The steps run from dist/, as in the image.
        run(["npm", "run", "build"], cwd=project, deadline=deadline, env=env)
        run(["npm", "run", "migrate"], cwd=project, deadline=deadline, env=env)
    finally:
        link.unlink()  # the kept project (--dest) is what Copier rendered
        shutil.rmtree(project / "dist", ignore_errors=True)


def _drop(server: str, name: str) -> None:
    client: MongoClient[Document] = MongoClient(server, serverSelectionTimeoutMS=SERVER_SELECTION_MS)
    try:
        client.drop_database(name)
    except Exception as error:  # noqa: BLE001  (cleanup must not hide the run's own result)
        print(f"could not drop the throwaway database {name}: {error}", file=sys.stderr)
    finally:
        client.close()
