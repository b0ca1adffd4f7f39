"""The template releases the update tests build, and what they do with a render.

Each test builds its own template repository with release tags (a fresh clone of this
repository has none): 0.1.0 is the working tree as the previous release shipped it (its
action pins and base images, no Dependabot), 0.2.0 is the working tree as it is, plus a
template improvement.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from conftest import ROOT
from copier import run_copy, run_update
from toolchains import run

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


def set_git_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    """CI has no git identity; the update tests commit (conftest.py's ``releases`` sets it)."""
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Update Test")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "update-test@example.com")


def git(cwd: Path, *args: str) -> str:
    return run(["git", *args], cwd=cwd)


def commit_all(cwd: Path, message: str) -> None:
    git(cwd, "add", "-A")
    git(cwd, "commit", "-q", "--no-verify", "-m", message)


def make_releases(tmp_path: Path) -> Path:
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
