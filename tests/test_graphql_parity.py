"""Both frameworks serve one GraphQL API (DESIGN §3 "API styles").

The schema file is rendered from one source, so both trees ship the same bytes. Then both
full renders are served side by side, each with its own database, and sent the same
operations in the same order (a differential check): after the values that differ by
nature (ids, instants, cursors, tokens) are replaced by their order of first appearance,
and the engines' own wording of parse and validation errors is dropped, the answers must
be equal — status, media type, data and errors. Both servers' introspected schemas must be
equal too: the service's own types (each engine's built-ins follow the spec edition it implements).
"""

from __future__ import annotations

import difflib
import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import ALL_STYLES, FULL, render
from graphql_operations import OPERATIONS, Server
from pytest_copie.plugin import Copie
from served import prepare, wait_ready
from toolchains import run

from scripts.services import free_port

SCHEMA_FILES = {"fastapi": "src/my_service/graphql/schema.graphql", "express": "src/graphql/schema.graphql"}
# Redis databases 33 and up belong to the generated projects, 30-31 to the outage test.
REDIS_DATABASE = {"fastapi": 26, "express": 27}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
# The engines word these themselves (graphql-core and graphql-js quote differently).
ENGINE_CODES = {"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED"}


@pytest.mark.parametrize("tasks", [FULL, ("api",)], ids=["with-auth", "without-auth"])
def test_both_trees_ship_the_same_schema_file(copie: Copie, tasks: tuple[str, ...]) -> None:
    files = {
        framework: render(copie, framework=framework, tasks=list(tasks), api_styles=list(ALL_STYLES))
        / SCHEMA_FILES[framework]
        for framework in SCHEMA_FILES
    }
    texts = {framework: path.read_bytes() for framework, path in files.items()}
    assert texts["fastapi"] == texts["express"]
    assert (b"me: User!" in texts["fastapi"]) == ("auth" in tasks)


# The engines' own built-ins (introspection types, standard scalars and directives) follow the
# spec edition each engine implements; the schema compared is the service's own types.
BUILT_IN_TYPES = {"String", "Int", "Float", "Boolean", "ID"}
BUILT_IN_DIRECTIVES = {"include", "skip", "deprecated", "specifiedBy", "oneOf"}


class Normaliser:
    """Replaces what differs by nature with its order of first appearance."""

    def __init__(self) -> None:
        self.seen: dict[str, str] = {}

    def value(self, text: str, key: str | None) -> str:
        kind = (
            "id"
            if UUID.match(text)
            else "instant"
            if INSTANT.match(text)
            else key
            if key in {"nextCursor", "access_token", "refresh_token", "email"}
            else None
        )
        if kind is None:
            return text
        return self.seen.setdefault(text, f"<{kind} {len(self.seen)}>")

    def json(self, node: object, key: str | None = None) -> object:
        if isinstance(node, dict):
            fields: dict[str, Any] = self.error(node) if {"message", "extensions"} <= set(node) else node
            return {name: self.json(child, name) for name, child in fields.items()}
        if isinstance(node, list):
            return [self.json(child, key) for child in node]
        if isinstance(node, str):
            return self.value(node, key)
        return node

    @staticmethod
    def error(error: dict[str, Any]) -> dict[str, Any]:
        extensions = error["extensions"]
        engine = extensions.get("code") in ENGINE_CODES or (
            extensions.get("code") == "BAD_USER_INPUT" and "errors" not in extensions
        )
        kept = {name: value for name, value in error.items() if not (engine and name == "message")}
        if "errors" in extensions:
            # REST's 422 rule: msg and type are each stack's own words, loc is shared.
            kept["extensions"] = extensions | {"errors": [{"loc": item["loc"]} for item in extensions["errors"]]}
        return kept

    def response(self, response: httpx.Response) -> dict[str, Any]:
        media_type = response.headers.get("content-type", "").split(";")[0]
        try:
            body: Any = response.json()
        except ValueError:
            body = None
        schema = body.get("data", {}).get("__schema") if isinstance(body, dict) and body.get("data") else None
        if isinstance(schema, dict):
            schema["types"] = [
                kind
                for kind in schema["types"]
                if not kind["name"].startswith("__") and kind["name"] not in BUILT_IN_TYPES
            ]
            schema["directives"] = [item for item in schema["directives"] if item["name"] not in BUILT_IN_DIRECTIVES]
        if media_type == "application/problem+json" and isinstance(body, dict):
            body = {name: body[name] for name in ("status", "title")}
        return {"status": response.status_code, "media type": media_type, "body": self.json(body)}


@pytest.fixture
def databases(service_urls: dict[str, str]) -> Iterator[dict[str, str]]:
    admin = service_urls["DATABASE_URL"]
    names = {framework: f"cb_graphql_parity_{framework}" for framework in SCHEMA_FILES}
    for name in names.values():
        run(
            ["psql", admin, "-q", "-c", f'DROP DATABASE IF EXISTS "{name}"', "-c", f'CREATE DATABASE "{name}"'],
            cwd=Path.cwd(),
        )
    yield {framework: admin.rsplit("/", 1)[0] + f"/{name}" for framework, name in names.items()}
    for name in names.values():
        run(["psql", admin, "-q", "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], cwd=Path.cwd())


def _answers(framework: str, project: Path, database_url: str, redis_url: str, log: Path) -> list[dict[str, Any]]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "VIRTUAL_ENV"))}
    env |= {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url.rsplit("/", 1)[0] + f"/{REDIS_DATABASE[framework]}",
        "HOST": "127.0.0.1",
        "PORT": str(free_port()),
        "RATE_LIMIT_PER_MINUTE": "1000000",
        "DOCS_ENABLED": "true",
    }
    serve = prepare(framework, project, env)
    normaliser = Normaliser()
    with (
        log.open("wb") as output,
        subprocess.Popen(serve, cwd=project, env=env, stdout=output, stderr=subprocess.STDOUT) as process,
        httpx.Client(base_url=f"http://127.0.0.1:{env['PORT']}", timeout=30) as client,
    ):
        try:
            wait_ready(client, process)
            server = Server(client)
            return [{"operation": name} | normaliser.response(send(server)) for name, send in OPERATIONS]
        finally:
            process.terminate()
            process.wait(timeout=30)


def _difference(fastapi: dict[str, Any], express: dict[str, Any]) -> str:
    ours, theirs = (json.dumps(answer, indent=1, sort_keys=True).splitlines() for answer in (fastapi, express))
    diff = difflib.unified_diff(ours, theirs, "fastapi", "express", lineterm="", n=6)
    return f"{fastapi['operation']}:\n" + "\n".join(list(diff)[:120])


@pytest.mark.services
def test_both_servers_answer_the_same_operations_alike(
    copie: Copie, service_urls: dict[str, str], databases: dict[str, str], tmp_path: Path
) -> None:
    answers = {}
    for framework in SCHEMA_FILES:
        project = render(copie, framework=framework, tasks=list(FULL), api_styles=list(ALL_STYLES))
        log = tmp_path / f"{framework}.log"
        try:
            answers[framework] = _answers(framework, project, databases[framework], service_urls["REDIS_URL"], log)
        finally:
            print(log.read_text(errors="replace")[-5000:])
    for fastapi, express in zip(answers["fastapi"], answers["express"], strict=True):
        assert fastapi == express, _difference(fastapi, express)
    # The operations reached what they were written for (not, say, a 401 on every one).
    statuses = {answer["operation"]: answer["status"] for answer in answers["fastapi"]}
    assert statuses["first page"] == statuses["introspection"] == 200
    assert (statuses["parse error"], statuses["no token"], statuses["text body"]) == (400, 401, 415)
