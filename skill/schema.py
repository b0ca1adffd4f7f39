"""What ``schema`` holds, and the OpenAPI document of a render without a database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from skill.budget import Deadline
from skill.proc import project_env, run
from skill.toolchains import python_venv

EXPRESS_HAS_NO_OPENAPI = (
    "The Express render of this release serves no OpenAPI document yet (no /openapi.json): "
    "there is no schema to give for a task without a database."
)
# Runs inside the render with its own dependencies: imports the app the way the
# server does (settings from the render's .env) and prints FastAPI's document.
_PRINT_OPENAPI = """
import json, sys
from importlib import import_module
app = import_module(sys.argv[1] + ".app").create_app()
sys.stdout.write(json.dumps(app.openapi(), indent=2) + "\\n")
"""


@dataclass(frozen=True)
class Schema:
    text: str
    source: str  # output_schema's schema_source
    note: str


def openapi_schema(project: Path, framework: str, package: str, deadline: Deadline) -> Schema:
    if framework == "express":
        return Schema(text=EXPRESS_HAS_NO_OPENAPI, source="none", note=EXPRESS_HAS_NO_OPENAPI)
    python = python_venv(deadline) / "bin" / "python"
    env = project_env(project, PYTHONPATH=str(project / "src"))
    document = run([python, "-c", _PRINT_OPENAPI, package], cwd=project, deadline=deadline, env=env)
    return Schema(
        text=document,
        source="openapi",
        note="the OpenAPI document of create_app(), as the service serves it at /openapi.json",
    )
