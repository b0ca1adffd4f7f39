"""Both stacks publish the same API in /openapi.json (DESIGN.md §3).

Renders FastAPI and Express with the same tasks, prints each one's document the way
its own tooling does (``create_app().openapi()``, ``npm run openapi``) and compares
every operation: method and path, operationId, parameters, request media types,
security, response statuses with their media types and headers, and the component
names. Schemas may be spelled differently (``anyOf`` or a type list), never shaped so.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import render
from pytest_copie.plugin import Copie
from toolchains import node_modules, python_venv, run

SUBSETS = [("api",), ("api", "database", "auth")]
PRINT_FASTAPI_DOCUMENT = (
    "import json, sys; from my_service.app import create_app; json.dump(create_app().openapi(), sys.stdout)"
)


def _environment(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "VIRTUAL_ENV"))}
    return env | extra


def _fastapi_document(project: Path) -> dict[str, Any]:
    python = python_venv() / "bin" / "python"
    output = run([str(python), "-c", PRINT_FASTAPI_DOCUMENT], cwd=project, env=_environment(PYTHONPATH="src"))
    return dict(json.loads(output))


def _express_document(project: Path) -> dict[str, Any]:
    (project / "node_modules").symlink_to(node_modules(), target_is_directory=True)
    run(["npm", "run", "--silent", "build"], cwd=project, env=_environment())
    return dict(json.loads(run(["npm", "run", "--silent", "openapi"], cwd=project, env=_environment())))


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
                status: (sorted(response.get("content", {})), sorted(response.get("headers", {})))
                for status, response in operation["responses"].items()
            },
        }
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    }


@pytest.mark.parametrize("tasks", SUBSETS, ids=["+".join(subset) for subset in SUBSETS])
def test_fastapi_and_express_publish_the_same_api(copie: Copie, tasks: tuple[str, ...]) -> None:
    fastapi = _fastapi_document(render(copie, framework="fastapi", tasks=list(tasks)))
    express = _express_document(render(copie, framework="express", tasks=list(tasks)))

    assert fastapi["openapi"] == express["openapi"] == "3.1.0"
    assert fastapi["info"] == express["info"]
    assert _operations(fastapi) == _operations(express)
    assert sorted(fastapi["components"]["schemas"]) == sorted(express["components"]["schemas"])
    assert fastapi["components"].get("securitySchemes") == express["components"].get("securitySchemes")
