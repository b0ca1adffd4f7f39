"""copier update never loses work.

Projects are rendered at a release of a temporary template repository
(tests/releases.py), committed, edited as a user would, then updated.
Adding and removing tasks and styles: test_update_tasks.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, render
from copier import run_copy
from pytest_copie.plugin import Copie
from releases import (
    IMPROVED,
    IMPROVEMENT_NOTE,
    RUNTIME_RENDERED,
    commit_all,
    env_values,
    git,
    render_at,
    tracked_text,
    update_to,
)

USER_MODULE = {"fastapi": "src/my_service/health/router.py", "express": "src/health/health.router.ts"}
USER_FUNCTION = {
    "fastapi": '\n\ndef build_banner() -> str:\n    """Added by the user."""\n    return "ours"\n',
    "express": '\nexport function buildBanner(): string {\n  return "ours";\n}\n',
}
USER_ROUTE = {
    "fastapi": (
        "src/my_service/health/extra.py",
        (
            'from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.get("/extra")\n'
            'async def extra() -> dict[str, str]:\n    return {"extra": "yes"}\n'
        ),
    ),
    "express": (
        "src/health/extra.router.ts",
        (
            'import { Router } from "express";\n\nexport const extraRouter = Router();\n'
            'extraRouter.get("/extra", (_req, res) => {\n  res.json({ extra: "yes" });\n});\n'
        ),
    ),
}


@pytest.mark.parametrize("framework", ["fastapi", "express"])
def test_update_keeps_every_user_edit(releases: Path, tmp_path: Path, framework: str) -> None:
    project = render_at(releases, tmp_path / "project", "0.1.0", framework=framework)
    secret_before = env_values(project)["JWT_SECRET"]
    # Edit as a user would: a function, a route file, a setting, the README.
    with (project / USER_MODULE[framework]).open("a") as handle:
        handle.write(USER_FUNCTION[framework])
    route_path, route_text = USER_ROUTE[framework]
    (project / route_path).write_text(route_text)
    our_secret = "rotated-by-us-" + "k" * 40
    env_text = (project / ".env").read_text().replace(secret_before, our_secret)
    (project / ".env").write_text(env_text + "LOG_LEVEL=debug\n")
    with (project / "README.md").open("a") as handle:
        handle.write("\n## Our runbook\n\nPage the on-call engineer.\n")
    git(project, "add", "-A", "--force")
    git(project, "commit", "-q", "-m", "our edits")
    untouched_before = {path: text for path, text in tracked_text(project).items() if path != ".copier-answers.yml"}

    seconds = update_to(project, "0.2.0")
    print(f"copier update 0.1.0 -> 0.2.0 of a full {framework} render: {seconds:.1f} s")

    after = tracked_text(project)
    assert after[USER_MODULE[framework]].endswith(USER_FUNCTION[framework])
    assert after[route_path] == route_text
    assert env_values(project)["LOG_LEVEL"] == "debug"
    assert env_values(project)["JWT_SECRET"] == our_secret
    assert after["README.md"].endswith("## Our runbook\n\nPage the on-call engineer.\n")
    improved = IMPROVED[framework].removeprefix(f"template/{framework}/").replace("{{package_name}}", "my_service")
    assert after[improved].endswith(IMPROVEMENT_NOTE[framework])
    assert after["docs/OPERATIONS.md"] == "# Operations\n\nNew in 0.2.0.\n"
    assert yaml.safe_load(after[".copier-answers.yml"])["_commit"] == "0.2.0"
    conflicted = [path for path, text in after.items() if "<<<<<<<" in text or ">>>>>>>" in text]
    assert conflicted == []
    assert [path for path in after if path.endswith((".rej", ".orig"))] == []
    # The new pins, base images and Dependabot arrive exactly as a fresh 0.2.0 render has them.
    fresh = tmp_path / "fresh"
    run_copy(str(releases), str(fresh), data={"framework": framework}, defaults=True, unsafe=True, vcs_ref="0.2.0")
    for path in (*RUNTIME_RENDERED, ".github/dependabot.yml", ".github/zizmor.yml"):
        assert after[path] == (fresh / path).read_text(), path
    assert untouched_before["Dockerfile"] != after["Dockerfile"]
    # Files the user did not touch changed only where the template did.
    ours = {improved, USER_MODULE[framework], route_path, ".env", "README.md", "best_practices.json"}
    for path, text in untouched_before.items():
        if path not in ours and path not in RUNTIME_RENDERED:
            assert after[path] == text, path
    assert (project / "best_practices.json").read_bytes() == (fresh / "best_practices.json").read_bytes()


@pytest.mark.parametrize("framework", ["fastapi", "express"])
def test_update_refuses_to_change_the_framework(releases: Path, tmp_path: Path, framework: str) -> None:
    project = render_at(releases, tmp_path / "project", "0.1.0", framework=framework)
    other = "express" if framework == "fastapi" else "fastapi"
    before = tracked_text(project)
    with pytest.raises(ValueError, match=f"framework cannot change from '{framework}' to '{other}'"):
        update_to(project, "0.2.0", framework=other)
    assert tracked_text(project) == before
    assert git(project, "status", "--porcelain") == ""


def test_update_refuses_to_change_the_database(releases: Path, tmp_path: Path) -> None:
    project = render_at(releases, tmp_path / "project", "0.1.0", tasks=["api", "database"])
    before = tracked_text(project)
    with pytest.raises(ValueError, match="database cannot change from 'postgresql' to 'mongodb'"):
        update_to(project, "0.2.0", database="mongodb")
    assert tracked_text(project) == before
    assert git(project, "status", "--porcelain") == ""


def test_env_file_is_never_overwritten_by_copier(copie: Copie) -> None:
    config = yaml.safe_load((ROOT / "copier.yml").read_text())
    assert ".env" in config["_skip_if_exists"]
    assert copie.copy(extra_answers={}).exit_code == 0


def run_update_check_job(project: Path) -> subprocess.CompletedProcess[str]:
    """The shell of the generated template-update workflow's check step, run here with our Copier."""
    workflow = yaml.safe_load((project / ".github/workflows/template-update.yml").read_text())
    (step,) = [step for step in workflow["jobs"]["check-update"]["steps"] if "check-update" in step.get("run", "")]
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=project,
        env={**os.environ, "PATH": path},
        capture_output=True,
        text=True,
        check=False,
    )


def test_scheduled_update_check_fails_loudly_only_when_the_template_moved(releases: Path, tmp_path: Path) -> None:
    project = render_at(releases, tmp_path / "project", "0.1.0")
    outdated = run_update_check_job(project)
    assert outdated.returncode != 0
    assert "::error::The template has a newer release" in outdated.stdout
    assert "latest version is 0.2.0" in outdated.stdout + outdated.stderr
    update_to(project, "0.2.0")
    commit_all(project, "update to 0.2.0")
    current = run_update_check_job(project)
    assert current.returncode == 0, current.stdout + current.stderr


@pytest.mark.parametrize("framework", ["fastapi", "express"])
def test_generated_readme_names_what_belongs_to_the_user(copie: Copie, framework: str) -> None:
    readme = (render(copie, framework=framework) / "README.md").read_text()
    assert "## Updating from the template" in readme
    assert "- `.env`: your local settings and secrets." in readme
    assert "copier update --trust" in readme
    assert "copier check-update" in readme
