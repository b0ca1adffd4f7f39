"""copier update never loses work.

Each test builds its own template repository with release tags (a fresh clone
of this repository has none): 0.1.0 is the working tree as the previous release
shipped it (its action pins and base images, no Dependabot), 0.2.0 is the working
tree as it is, plus a template improvement. Projects are rendered at one tag,
committed, edited as a user would, then updated.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, render
from copier import run_copy, run_update
from pytest_copie.plugin import Copie
from toolchains import UV, run

# A template improvement shipped in 0.2.0, far from where users edit.
IMPROVED = {
    "fastapi": "template/fastapi/src/{{package_name}}/core/retry.py",
    "express": "template/express/src/core/retry.ts",
}
IMPROVEMENT_NOTE = {"fastapi": "# Improved in 0.2.0.\n", "express": "// Improved in 0.2.0.\n"}
# What the previous release shipped instead of today's lines: 0.1.0 gets these back, so an
# update to 0.2.0 must bring the commit-pinned actions, Node 24 and CPython 3.13.
PREVIOUS_LINES = {
    "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1": "actions/checkout@v4.2.2",
    "actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97 # v7.0.0": "actions/setup-python@v5.3.0",
    "actions/setup-node@820762786026740c76f36085b0efc47a31fe5020 # v7.0.0": "actions/setup-node@v4.1.0",
    "node:24.22-bookworm-slim": "node:20.20-bookworm-slim",
    "python:3.13-slim-bookworm": "python:3.11-slim-bookworm",
    'python-version: "3.13"': 'python-version: "3.11"',
}
RUNTIME_FILES = ("template/*/.github/workflows/*", "template/*/Dockerfile*")
NEW_FILES = ("template/*/.github/dependabot.yml", "template/*/.github/zizmor.yml")
# The rendered files 0.2.0 changes that way.
RUNTIME_RENDERED = (".github/workflows/ci.yml", ".github/workflows/template-update.yml", "Dockerfile")
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


@pytest.fixture(autouse=True)
def git_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Update Test")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "update-test@example.com")


def git(cwd: Path, *args: str) -> str:
    return run(["git", *args], cwd=cwd)


def commit_all(cwd: Path, message: str) -> None:
    git(cwd, "add", "-A")
    git(cwd, "commit", "-q", "--no-verify", "-m", message)


@pytest.fixture
def releases(tmp_path: Path) -> Path:
    """A template repository tagged 0.1.0 (this tree with the previous release's runtime lines) and 0.2.0."""
    repo = tmp_path / "template-repo"
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for relative in filter(None, listed):
        source = ROOT / relative
        if source.is_file():
            (repo / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / relative)
    today = {path: path.read_bytes() for pattern in (*RUNTIME_FILES, *NEW_FILES) for path in repo.glob(pattern)}
    for pattern in RUNTIME_FILES:
        for path in repo.glob(pattern):
            text = path.read_text()
            for line, previous in PREVIOUS_LINES.items():
                text = text.replace(line, previous)
            path.write_text(text)
    for pattern in NEW_FILES:
        for path in repo.glob(pattern):
            path.unlink()
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "release 0.1.0")
    git(repo, "tag", "0.1.0")
    for path, content in today.items():
        path.write_bytes(content)
    for framework, module in IMPROVED.items():
        with (repo / module).open("a", encoding="utf-8") as handle:
            handle.write(IMPROVEMENT_NOTE[framework])
        docs = repo / "template" / framework / "docs"
        docs.mkdir()
        (docs / "OPERATIONS.md").write_text("# Operations\n\nNew in 0.2.0.\n")
    commit_all(repo, "release 0.2.0")
    git(repo, "tag", "0.2.0")
    return repo


def render_at(repo: Path, destination: Path, ref: str, **answers: object) -> Path:
    run_copy(str(repo), str(destination), data=answers, defaults=True, unsafe=True, vcs_ref=ref, quiet=True)
    git(destination, "init", "-q", "-b", "main")
    commit_all(destination, f"render at {ref}")
    return destination


def update_to(project: Path, ref: str, **answers: object) -> float:
    began = time.perf_counter()
    run_update(str(project), data=answers, defaults=True, overwrite=True, unsafe=True, vcs_ref=ref, quiet=True)
    return time.perf_counter() - began


def tracked_text(project: Path) -> dict[str, str]:
    return {
        str(path.relative_to(project)): path.read_text(encoding="utf-8", errors="replace")
        for path in project.rglob("*")
        if path.is_file() and ".git" not in path.parts and "node_modules" not in path.parts
    }


def env_values(project: Path) -> dict[str, str]:
    lines = (project / ".env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))


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


@pytest.mark.parametrize(
    ("framework", "package"), [("fastapi", "src/my_service"), ("express", "src")], ids=["fastapi", "express"]
)
def test_removing_a_task_or_a_style_removes_its_files(
    releases: Path, tmp_path: Path, framework: str, package: str
) -> None:
    project = render_at(
        releases,
        tmp_path / "project",
        "0.2.0",
        framework=framework,
        tasks=["api", "database", "cache"],
        api_styles=["rest", "graphql"],
    )
    assert (project / package / "cache").is_dir()
    assert (project / package / "graphql" / "schema.graphql").is_file()
    update_to(project, "0.2.0", tasks=["api", "database"], api_styles=["rest"])
    assert not (project / package / "cache").exists()
    assert not (project / package / "graphql").exists()
    # The one module that lists the folders no longer imports them.
    wiring = (project / package / ("tasks.py" if framework == "fastapi" else "wiring.ts")).read_text()
    for folder in ("cache", "graphql"):
        assert (f"from .{folder} import" if framework == "fastapi" else f"./{folder}/") not in wiring
    for shared in (".env.example", "compose.yaml", "README.md"):
        text = (project / shared).read_text()
        # (The README still says which task to add for several instances: Redis is named there.)
        assert "REDIS_URL" not in text, shared
        assert "redis:" not in text, shared
        assert "GRAPHQL_" not in text, shared
        assert "/graphql" not in text, shared
    manifest = json.loads((project / "best_practices.json").read_text())
    assert {entry["task"] for entry in manifest} == {"api", "database"}


@pytest.mark.services
@pytest.mark.parametrize("framework", ["fastapi", "express"])
def test_adding_a_task_and_a_style_through_update_adds_their_folders_and_passes_the_tests(
    releases: Path, tmp_path: Path, framework: str, service_urls: dict[str, str]
) -> None:
    project = render_at(releases, tmp_path / "project", "0.2.0", framework=framework, tasks=["api"])
    update_to(project, "0.2.0", tasks=["api", "database"], api_styles=["rest", "graphql"])
    package = project / ("src/my_service" if framework == "fastapi" else "src")
    assert (package / "graphql" / "schema.graphql").is_file()
    assert "GRAPHQL_MAX_DEPTH" in (project / ".env.example").read_text()
    if framework == "fastapi":
        assert (project / "src/my_service/database/engine.py").is_file()
        assert "open_database" in (project / "src/my_service/database/lifespan.py").read_text()
        assert (project / "alembic.ini").is_file()
    else:
        assert (project / "src/database/engine.ts").is_file()
        assert "checkDatabase" in (project / "src/database/lifespan.ts").read_text()
        assert "databaseErrors" in (project / "src/database/lifespan.ts").read_text()
        assert '"migrate"' in (project / "package.json").read_text()
    assert "DATABASE_URL" in (project / ".env.example").read_text()
    database = f"cb_update_{framework}_{os.getpid()}"
    admin = service_urls["DATABASE_URL"]
    run(
        ["psql", admin, "-q", "-c", f'DROP DATABASE IF EXISTS "{database}"', "-c", f'CREATE DATABASE "{database}"'],
        cwd=tmp_path,
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "VIRTUAL_ENV"))}
    env["DATABASE_URL"] = admin.rsplit("/", 1)[0] + f"/{database}"
    env["REDIS_URL"] = service_urls["REDIS_URL"]
    try:
        if framework == "fastapi":
            run([UV, "venv", "--quiet", ".venv"], cwd=project)
            run([UV, "pip", "install", "--quiet", "--python", ".venv/bin/python", "-e", ".[dev]"], cwd=project)
            run([".venv/bin/alembic", "upgrade", "head"], cwd=project, env=env)
            output = run([".venv/bin/pytest", "-p", "no:cacheprovider"], cwd=project, env=env)
        else:
            run(["npm", "install", "--no-audit", "--no-fund", "--prefer-offline"], cwd=project)
            run(["npm", "run", "migrate"], cwd=project, env=env)
            output = run(["npm", "test"], cwd=project, env=env)
    finally:
        subprocess.run(["psql", admin, "-q", "-c", f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'], check=False)
    assert " passed" in output.lower()


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
