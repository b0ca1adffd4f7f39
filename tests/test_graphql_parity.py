"""Both frameworks serve one GraphQL API (DESIGN §3 "API styles").

The schema file is rendered from one source, so both trees ship the same bytes. Then both
full renders are served side by side, each with its own database, and sent the same
operations in the same order (a differential check): after the values that differ by
nature (ids, instants, cursors, tokens) are replaced by their order of first appearance,
and the engines' own wording of parse and validation errors is dropped, the answers must
be equal — status, media type, data and errors. Both servers' introspected schemas must be
equal too.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import subprocess
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import FULL, WITH_GRAPHQL, render
from pytest_copie.plugin import Copie
from served import prepare, wait_ready
from toolchains import run

from scripts.services import free_port

SCHEMA_FILES = {"fastapi": "src/my_service/graphql/schema.graphql", "express": "src/graphql/schema.graphql"}
# Redis databases 1-24 belong to the generated projects, 30-31 to the outage test.
REDIS_DATABASE = {"fastapi": 26, "express": 27}
PASSWORD = "differential-password"  # noqa: S105  (test accounts, made per run)
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
# The engines word these themselves (graphql-core and graphql-js quote differently).
ENGINE_CODES = {"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED"}
TYPE_REF = "kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }"
INTROSPECTION = f"""
{{ __schema {{
  queryType {{ name }} mutationType {{ name }} subscriptionType {{ name }}
  types {{
    kind name description
    fields(includeDeprecated: true) {{
      name description isDeprecated deprecationReason
      args {{ name description defaultValue type {{ {TYPE_REF} }} }}
      type {{ {TYPE_REF} }}
    }}
    inputFields {{ name description defaultValue type {{ {TYPE_REF} }} }}
    interfaces {{ {TYPE_REF} }}
    enumValues(includeDeprecated: true) {{ name description isDeprecated deprecationReason }}
    possibleTypes {{ {TYPE_REF} }}
  }}
  directives {{ name description locations args {{ name description defaultValue type {{ {TYPE_REF} }} }} }}
}} }}
"""


@pytest.mark.parametrize("tasks", [FULL, ("api",)], ids=["with-auth", "without-auth"])
def test_both_trees_ship_the_same_schema_file(copie: Copie, tasks: tuple[str, ...]) -> None:
    files = {
        framework: render(copie, framework=framework, tasks=list(tasks), api_styles=list(WITH_GRAPHQL))
        / SCHEMA_FILES[framework]
        for framework in SCHEMA_FILES
    }
    texts = {framework: path.read_bytes() for framework, path in files.items()}
    assert texts["fastapi"] == texts["express"]
    assert (b"me: User!" in texts["fastapi"]) == ("auth" in tasks)


@dataclass
class Server:
    """One framework's live server, and what the operations remembered of its answers."""

    client: httpx.Client
    saved: dict[str, Any] = field(default_factory=dict)

    def graphql(
        self, query: str, variables: dict[str, Any] | None = None, caller: str = "a", **headers: str
    ) -> httpx.Response:
        body: dict[str, Any] = {"query": query} | ({"variables": variables} if variables is not None else {})
        return self.client.post("/graphql", json=body, headers=self.auth(caller) | headers)

    def auth(self, caller: str) -> dict[str, str]:
        """The headers that sign in as ``caller`` ("" for nobody)."""
        return {"Authorization": f"Bearer {self.saved[f'token {caller}']}"} if caller else {}


def _sign_up(server: Server, name: str) -> httpx.Response:
    email = f"{name}-{uuid.uuid4().hex[:10]}@example.com"
    created = server.client.post("/api/v1/users", json={"email": email, "name": name, "password": PASSWORD})
    signed_in = server.client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    server.saved[f"user {name}"] = created.json()["id"]
    server.saved[f"token {name}"] = signed_in.json()["access_token"]
    return created


def _create(server: Server, title: str) -> httpx.Response:
    answer = server.graphql(
        "mutation ($input: CreatePostInput!) { createPost(input: $input) { id title body author { id name } "
        "createdAt updatedAt } }",
        {"input": {"title": title, "body": f"About {title}."}},
    )
    server.saved[f"post {title}"] = answer.json()["data"]["createPost"]["id"]
    return answer


def _page(server: Server, after: str | None) -> httpx.Response:
    answer = server.graphql(
        "query ($after: String) { posts(first: 2, after: $after) { items { id title author { name } } nextCursor } }",
        {"after": server.saved.get(after) if after else None},
    )
    server.saved["cursor"] = answer.json()["data"]["posts"]["nextCursor"]
    return answer


POST = "id title body author { id name } createdAt updatedAt"
# Each operation sends the same request to a server, using only what earlier ones saved.
OPERATIONS: list[tuple[str, Callable[[Server], httpx.Response]]] = [
    ("sign up a", lambda s: _sign_up(s, "a")),
    ("sign up b", lambda s: _sign_up(s, "b")),
    *((f"create {title}", lambda s, title=title: _create(s, title)) for title in ("one", "two", "three")),
    ("first page", lambda s: _page(s, None)),
    ("next page", lambda s: _page(s, "cursor")),
    (
        "me",
        lambda s: s.graphql(f"{{ me {{ id email name role createdAt posts(first: 5) {{ items {{ {POST} }} }} }} }}"),
    ),
    ("someone else", lambda s: s.graphql("query ($id: ID!) { user(id: $id) { id } }", {"id": s.saved["user b"]})),
    ("users as a user", lambda s: s.graphql("{ users { items { id } } }")),
    (
        "another's post",
        lambda s: s.graphql(
            'mutation ($id: ID!) { updatePost(id: $id, input: {title: "b was here"}) { id } }',
            {"id": s.saved["post one"]},
            caller="b",
        ),
    ),
    (
        "update",
        lambda s: s.graphql(
            f'mutation ($id: ID!) {{ updatePost(id: $id, input: {{title: "One, again"}}) {{ {POST} }} }}',
            {"id": s.saved["post one"]},
        ),
    ),
    (
        "empty update",
        lambda s: s.graphql(
            f"mutation ($id: ID!) {{ updatePost(id: $id, input: {{}}) {{ {POST} }} }}", {"id": s.saved["post two"]}
        ),
    ),
    ("delete", lambda s: s.graphql("mutation ($id: ID!) { deletePost(id: $id) }", {"id": s.saved["post three"]})),
    ("deleted", lambda s: s.graphql("query ($id: ID!) { post(id: $id) { id } }", {"id": s.saved["post three"]})),
    ("delete again", lambda s: s.graphql("mutation ($id: ID!) { deletePost(id: $id) }", {"id": s.saved["post three"]})),
    (
        "too long a title",
        lambda s: s.graphql(
            "mutation ($input: CreatePostInput!) { createPost(input: $input) { id } }",
            {"input": {"title": "x" * 201, "body": ""}},
        ),
    ),
    ("first 101", lambda s: s.graphql("{ posts(first: 101) { items { id } } }")),
    ("first 0 nested", lambda s: s.graphql("{ me { posts(first: 0) { items { id } } } }")),
    ("bad cursor", lambda s: s.graphql('{ posts(after: "bad") { items { id } } }')),
    ("bad id", lambda s: s.graphql('{ post(id: "nope") { id } }')),
    ("parse error", lambda s: s.graphql("{ posts { items { id }")),
    ("unknown field", lambda s: s.graphql("{ posts { items { secret } } }")),
    ("missing variable", lambda s: s.graphql("query ($id: ID!) { post(id: $id) { id } }", {})),
    ("aliases", lambda s: s.graphql("{ " + " ".join(f"a{n}: __typename" for n in range(16)) + " }")),
    (
        "cost",
        lambda s: s.graphql(
            "{ " + " ".join(f"p{n}: posts(first: 100) {{ items {{ {POST} }} }}" for n in range(8)) + " }"
        ),
    ),
    ("update me", lambda s: s.graphql('mutation { updateMe(input: {name: "Ada B."}) { id name email role } }')),
    ("short password", lambda s: s.graphql('mutation { updateMe(input: {password: "short"}) { id } }')),
    ("modern accept", lambda s: s.graphql("{ __typename }", Accept="application/graphql-response+json")),
    ("no token", lambda s: s.graphql("{ __typename }", caller="")),
    (
        "bad token",
        lambda s: s.client.post("/graphql", json={"query": "{ me { id } }"}, headers={"Authorization": "Bearer x"}),
    ),
    ("no query", lambda s: s.client.post("/graphql", json={"variables": {}}, headers=s.auth("a"))),
    (
        "text body",
        lambda s: s.client.post(
            "/graphql", content="{ __typename }", headers=s.auth("a") | {"Content-Type": "text/plain"}
        ),
    ),
    ("introspection", lambda s: s.graphql(INTROSPECTION)),
]
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
        project = render(copie, framework=framework, tasks=list(FULL), api_styles=list(WITH_GRAPHQL))
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
