"""Both stacks publish the same API in /openapi.json (DESIGN.md §3).

Renders FastAPI and Express with the same tasks, prints each one's document the way
its own tooling does (``create_app().openapi()``, ``npm run openapi``) and compares
every operation: method and path, operationId (short camelCase, unique), parameters,
request media types, security, response statuses with their media types and headers
(whether required, their type and pattern), and the component names. Schemas may be spelled differently (``anyOf``
or a type list), never shaped so. What the middlewares add around the routes is compared
too: the rate limit (RateLimit-*, 429 with Retry-After), the body limit (413), the request
time limit (503) and the pool timeout (503 with Retry-After), X-Cache, and ETag with
If-None-Match and 304.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import ALL_STYLES, render, sign_in_methods
from pytest_copie.plugin import Copie
from toolchains import generate_stubs, node_modules, python_venv, run

# The full render serves GraphQL too: POST /graphql is documented alike as well.
SUBSETS = [
    (("api",), ("rest",)),
    (("api", "database", "auth"), ("rest",)),
    # Every style: with auth, oauth too (conftest.sign_in_methods).
    (("api", "database", "auth", "cache", "optimize"), ALL_STYLES),
]
# A verb and what it acts on, no path or method in it: `createPost`, `readMe`, `live`.
OPERATION_ID = re.compile(r"[a-z]+(?:[A-Z][a-z]+){0,2}")
PRINT_FASTAPI_DOCUMENT = (
    "import json, sys; from my_service.app import create_app; json.dump(create_app().openapi(), sys.stdout)"
)


def _environment(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "VIRTUAL_ENV"))}
    return env | extra


def _fastapi_document(project: Path) -> dict[str, Any]:
    generate_stubs(project)
    python = python_venv() / "bin" / "python"
    output = run([str(python), "-c", PRINT_FASTAPI_DOCUMENT], cwd=project, env=_environment(PYTHONPATH="src"))
    return dict(json.loads(output))


def _express_document(project: Path) -> dict[str, Any]:
    (project / "node_modules").symlink_to(node_modules(), target_is_directory=True)
    run(["npm", "run", "--silent", "build"], cwd=project, env=_environment())
    return dict(json.loads(run(["npm", "run", "--silent", "openapi"], cwd=project, env=_environment())))


def _headers(response: dict[str, Any]) -> dict[str, tuple[bool, str | None, str | None]]:
    return {
        name: (header.get("required", False), header["schema"].get("type"), header["schema"].get("pattern"))
        for name, header in response.get("headers", {}).items()
    }


def _operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """What a client relies on, per operation."""
    return {
        f"{method.upper()} {path}": {
            "operationId": operation["operationId"],
            "parameters": sorted(
                (parameter["in"], parameter["name"], parameter.get("required", False))
                for parameter in operation.get("parameters", [])
            ),
            "request": sorted(operation.get("requestBody", {}).get("content", {})),
            "security": operation.get("security", []),
            "responses": {
                status: (sorted(response.get("content", {})), _headers(response))
                for status, response in operation["responses"].items()
            },
        }
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    }


@pytest.mark.parametrize(
    ("tasks", "styles"), SUBSETS, ids=["-".join("+".join(names) for names in subset) for subset in SUBSETS]
)
def test_fastapi_and_express_publish_the_same_api(
    copie: Copie, tasks: tuple[str, ...], styles: tuple[str, ...]
) -> None:
    methods = {"auth_methods": list(sign_in_methods(tasks, styles))} if "auth" in tasks else {}
    answers = {"tasks": list(tasks), "api_styles": list(styles), **methods}
    fastapi = _fastapi_document(render(copie, framework="fastapi", **answers))
    express = _express_document(render(copie, framework="express", **answers))
    assert ("/graphql" in fastapi["paths"]) == ("graphql" in styles)

    _assert_middleware_answers(fastapi, tasks)
    _assert_middleware_answers(express, tasks)
    assert fastapi["openapi"] == express["openapi"] == "3.1.0"
    assert fastapi["info"] == express["info"]
    assert _operations(fastapi) == _operations(express)
    _assert_operation_ids_chosen(fastapi)
    assert sorted(fastapi["components"]["schemas"]) == sorted(express["components"]["schemas"])
    assert fastapi["components"].get("securitySchemes") == express["components"].get("securitySchemes")


def _assert_operation_ids_chosen(document: dict[str, Any]) -> None:
    """Short camelCase names (``createPost``), one per operation: a client generator's method names."""
    ids = [operation["operationId"] for operation in _operations(document).values()]
    assert len(set(ids)) == len(ids), ids
    assert [name for name in ids if not OPERATION_ID.fullmatch(name)] == []


def _statuses(document: dict[str, Any], method: str, path: str) -> dict[str, set[str]]:
    responses = document["paths"][path][method]["responses"]
    return {status: set(response.get("headers", {})) for status, response in responses.items()}


def _assert_middleware_answers(document: dict[str, Any], tasks: tuple[str, ...]) -> None:
    """What the middlewares add around the routes is in the document (DESIGN §3)."""
    rate_limit = {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"}
    for key, operation in _operations(document).items():
        method, path = key.split(" ")
        statuses = _statuses(document, method.lower(), path)
        if not path.startswith("/api/v1/") and path != "/graphql":
            # Health: no rate limit, no body, no pool wait (readiness answers its own 503).
            assert not {"304", "413", "429"} & set(statuses), key
            assert not any(rate_limit & headers for headers in statuses.values()), key
            continue
        assert all(rate_limit <= headers for headers in statuses.values()), key
        assert "Retry-After" in statuses["429"], key
        for status in {"413", "429", "503"} & set(statuses):
            assert operation["responses"][status][0] == ["application/problem+json"], (key, status)
        assert ("413" in statuses) == bool(operation["request"]), key
        # The request time limit, and with the database a busy pool (which adds Retry-After).
        assert "503" in statuses, key
        assert ("Retry-After" in statuses["503"]) == ("database" in tasks), key
        # A GET with a body to tag: the sign-in redirects (302, 303) have none.
        conditional = "optimize" in tasks and method == "GET" and "200" in statuses
        assert ("304" in statuses) == conditional, key
        assert (("header", "If-None-Match", False) in operation["parameters"]) == conditional, key
        if conditional:
            assert all("ETag" in statuses[status] for status in ("200", "304")), key
        cached = "cache" in tasks and key == "GET /api/v1/posts/{post_id}"
        assert all(("X-Cache" in statuses[status]) == cached for status in ("200", "304") if status in statuses), key
