"""The generated projects' GitHub Actions workflows: least privilege, pinned, bounded."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FRAMEWORKS, render
from pytest_copie.plugin import Copie

PINNED_ACTION = re.compile(r"^[\w.-]+/[\w.-]+@v\d+\.\d+\.\d+$")
TEST_STEPS = {
    "fastapi": {"database": "alembic upgrade head", "test": "pytest", "install": "pip install -e '.[dev]'"},
    "express": {"database": "npm run migrate", "test": "npm test", "install": "npm install --no-audit --no-fund"},
}


def workflows(project: Path) -> dict[str, dict[str, Any]]:
    folder = project / ".github" / "workflows"
    return {path.name: yaml.safe_load(path.read_text()) for path in sorted(folder.glob("*.yml"))}


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("tasks", [["api"], ["api", "cache"], ["api", "database", "auth", "cache", "optimize"]])
def test_workflows_are_least_privilege_pinned_and_bounded(copie: Copie, framework: str, tasks: list[str]) -> None:
    found = workflows(render(copie, framework=framework, tasks=tasks))
    assert set(found) == {"ci.yml", "template-update.yml"}
    for workflow in found.values():
        assert workflow["permissions"] == {}
        for job in workflow["jobs"].values():
            assert job["permissions"] == {"contents": "read"}
            assert 0 < job["timeout-minutes"] <= 15
            for step in job["steps"]:
                if "uses" in step:
                    assert PINNED_ACTION.match(step["uses"]), step["uses"]
                    if step["uses"].startswith("actions/checkout@"):
                        assert step["with"]["persist-credentials"] is False


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("tasks", [["api"], ["api", "cache"], ["api", "database"], ["api", "database", "cache"]])
def test_ci_runs_the_project_commands_with_the_services_it_needs(
    copie: Copie, framework: str, tasks: list[str]
) -> None:
    job = workflows(render(copie, framework=framework, tasks=tasks))["ci.yml"]["jobs"]["test"]
    services = set(job.get("services", {}))
    assert services == {name for task, name in (("database", "postgres"), ("cache", "redis")) if task in tasks}
    assert set(job.get("env", {})) == {
        name for task, name in (("database", "DATABASE_URL"), ("cache", "REDIS_URL")) if task in tasks
    }
    commands = [step["run"] for step in job["steps"] if "run" in step]
    expected = TEST_STEPS[framework]
    assert commands[0] == expected["install"]
    assert commands[-1] == expected["test"]
    assert (expected["database"] in commands) == ("database" in tasks)
    if framework == "fastapi" and "database" in tasks:
        # Right after migrating: a model changed without a migration fails the build.
        assert commands[commands.index("alembic upgrade head") + 1] == "alembic check"
