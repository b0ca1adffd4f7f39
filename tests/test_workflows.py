"""The generated projects' GitHub Actions workflows and Dependabot: least privilege, pinned
by commit, bounded, clean under zizmor; runtimes current (Node 24, CPython 3.13)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FRAMEWORKS, render
from pytest_copie.plugin import Copie
from toolchains import run

# A full commit SHA, with the release it is in a trailing comment (Dependabot keeps both).
PINNED_ACTION = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")
PINNED_LINE = re.compile(r"uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")
TOOLS = Path(sys.executable).parent
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
    project = render(copie, framework=framework, tasks=tasks)
    found = workflows(project)
    assert set(found) == {"ci.yml", "template-update.yml"}
    for path in (project / ".github" / "workflows").glob("*.yml"):
        for line in path.read_text().splitlines():
            if "uses:" in line:
                assert PINNED_LINE.search(line), line
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


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_zizmor_finds_nothing_even_as_a_pedantic_auditor(copie: Copie, framework: str) -> None:
    project = render(copie, framework=framework)
    # run() fails the test with zizmor's report on any finding; the one rule the render
    # configures away (.github/zizmor.yml) carries its reason there.
    output = run([str(TOOLS / "zizmor"), "--offline", "--persona", "pedantic", ".github/"], cwd=project)
    assert "No findings to report" in output
    ignored = yaml.safe_load((project / ".github" / "zizmor.yml").read_text())["rules"]
    assert set(ignored) == {"unpinned-images"}


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_dependabot_keeps_packages_actions_and_images_current(copie: Copie, framework: str) -> None:
    project = render(copie, framework=framework)
    config = project / ".github" / "dependabot.yml"
    run([str(TOOLS / "check-jsonschema"), "--builtin-schema", "vendor.dependabot", str(config)], cwd=project)
    updates = yaml.safe_load(config.read_text())["updates"]
    packages = {"fastapi": "pip", "express": "npm"}[framework]
    assert [update["package-ecosystem"] for update in updates] == [packages, "github-actions", "docker"]
    for update in updates:
        assert update["schedule"]["interval"] == "weekly"
        assert update["groups"]["minor-and-patch"]["update-types"] == ["minor", "patch"]


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_runtimes_are_current(copie: Copie, framework: str) -> None:
    project = render(copie, framework=framework)
    bases = re.findall(r"^FROM (\S+)", (project / "Dockerfile").read_text(), re.MULTILINE)
    if framework == "express":
        assert bases == ["node:24.22-bookworm-slim"] * 2
        assert (project / ".nvmrc").read_text() == "24\n"
        steps = workflows(project)["ci.yml"]["jobs"]["test"]["steps"]
        (setup,) = [step for step in steps if "setup-node" in step.get("uses", "")]
        assert setup["with"] == {"node-version-file": ".nvmrc"}
    else:
        assert bases == ["python:3.13-slim-bookworm"] * 2
    for workflow in workflows(project).values():
        for job in workflow["jobs"].values():
            for step in job["steps"]:
                if "setup-python" in step.get("uses", ""):
                    assert step["with"]["python-version"] == "3.13"
