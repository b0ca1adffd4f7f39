"""What ``schema`` holds, and the OpenAPI document of a render without a database."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from skill.budget import Deadline
from skill.proc import project_env, run
from skill.toolchains import node_modules, python_venv

# Runs inside the render with its own dependencies: imports the app the way the
# server does (settings from the render's .env) and prints FastAPI's document.
_PRINT_OPENAPI = """
import json, sys
from importlib import import_module
app = import_module(sys.argv[1] + ".app").create_app()
sys.stdout.write(json.dumps(app.openapi(), indent=2) + "\\n")
"""
_NOTE = "the OpenAPI document {source}, as the service serves it at /openapi.json"


@dataclass(frozen=True)
class Schema:
    text: str
    source: str  # output_schema's schema_source
    note: str


def openapi_schema(project: Path, framework: str, package: str, deadline: Deadline) -> Schema:
    if framework == "express":
        return Schema(
            text=_express_document(project, deadline),
            source="openapi",
            note=_NOTE.format(source="printed by `npm run openapi`"),
        )
    python = python_venv(deadline) / "bin" / "python"
    env = project_env(project, PYTHONPATH=str(project / "src"))
    document = run([python, "-c", _PRINT_OPENAPI, package], cwd=project, deadline=deadline, env=env)
    return Schema(text=document, source="openapi", note=_NOTE.format(source="of create_app()"))


def _express_document(project: Path, deadline: Deadline) -> str:
    """The project's own `npm run openapi`, on a build made with the shared node_modules."""
    link = project / "node_modules"
    link.symlink_to(node_modules(deadline), target_is_directory=True)
    env = project_env(project)
    try:
        run(["npm", "run", "--silent", "build"], cwd=project, deadline=deadline, env=env)
        return run(["npm", "run", "--silent", "openapi"], cwd=project, deadline=deadline, env=env)
    finally:
        # The kept project (--dest) is what Copier rendered.
        link.unlink()
        shutil.rmtree(project / "dist", ignore_errors=True)
