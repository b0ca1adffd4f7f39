"""Every allowed task subset for both frameworks, with names and ports varied.

Framework x the renders of conftest.RENDERS is the full product (every task subset
with GraphQL, and two REST-only renders); the naming answers and the port rotate across it.
Each render must be free of Jinja leftovers, name only its own framework, parse, lint,
type-check and hold no dead code.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import ENGINE_RUNS, FRAMEWORKS, RENDERS, render, sign_in_methods
from pytest_copie.plugin import Copie
from toolchains import generate_stubs, node_modules, python_venv, run

NAMINGS: tuple[dict[str, object], ...] = (
    {},
    {"project_name": "Orders API", "http_port": 1024},
    {"project_name": "Billing", "project_slug": "billing-svc", "package_name": "billing_core", "http_port": 65535},
)
CASES = [
    pytest.param(
        framework,
        subset,
        styles,
        NAMINGS[index % len(NAMINGS)],
        id=f"{framework}-{'+'.join(subset)}-{'+'.join(styles)}",
    )
    for index, (framework, subset, styles) in enumerate(
        (framework, subset, styles) for framework in FRAMEWORKS for subset, styles in RENDERS
    )
] + [
    pytest.param(
        framework,
        subset,
        styles,
        {"database": engine},
        id=f"{framework}-{engine}-{'+'.join(subset)}-{'+'.join(styles)}",
    )
    for framework in FRAMEWORKS
    # Each engine's widest render and its smallest: dead code differs without auth.
    for subset, styles, engine in ENGINE_RUNS
]
# `${{ ... }}` is GitHub Actions syntax, rendered on purpose.
JINJA_LEFTOVER = re.compile(r"(?<!\$)\{\{\s*[A-Za-z_]|\{%-?\s|\s-?%\}|\{#\s")


def assert_no_jinja_leftovers(project: Path) -> None:
    leftovers = []
    for path in project.rglob("*"):
        if "node_modules" in path.parts or not path.is_file():
            continue
        relative = path.relative_to(project)
        if "{" in str(relative) or "%" in str(relative) or path.suffix == ".jinja":
            leftovers.append(f"file name {relative}")
        elif JINJA_LEFTOVER.search(path.read_text(encoding="utf-8", errors="replace")):
            leftovers.append(str(relative))
    assert leftovers == []


# A rendered project speaks of itself only: its reader has no render of the other
# framework to look at, nor this repository's documents. So a render never names the
# other framework or a tool only that one uses, nor points to "the other stack".
ELSEWHERE = (r"design\.md", r"\bsibling", r"\bboth (?:stacks|services|frameworks)\b", r"\bflavou?r of this template")
FOREIGN_WORDS = {
    "fastapi": (r"\bexpress\b", r"node\.?js", "typescript", r"\bzod\b", r"\bpino\b", r"\bnpm\b", "vitest"),
    "express": ("fastapi", "python", "pydantic", "starlette", "uvicorn", "sqlalchemy", "alembic", "pytest", r"%g\b"),
}
FOREIGN = {
    framework: re.compile("|".join((*words, *ELSEWHERE)), re.IGNORECASE) for framework, words in FOREIGN_WORDS.items()
}
# Named on purpose: Copier, which the weekly update check installs, is a Python tool.
NAMED_ON_PURPOSE = {("express", ".github/workflows/template-update.yml", "python")}
GENERATED = {"package-lock.json", "uv.lock"}


def assert_names_only_its_framework(project: Path, framework: str) -> None:
    found: list[str] = []
    for path in project.rglob("*"):
        if "node_modules" in path.parts or not path.is_file() or path.name in GENERATED:
            continue
        relative = path.relative_to(project).as_posix()
        matches = FOREIGN[framework].finditer(path.read_text(encoding="utf-8", errors="replace"))
        found += [
            f"{relative}: {match.group()!r}"
            for match in matches
            if (framework, relative, match.group().lower()) not in NAMED_ON_PURPOSE
        ]
    assert found == []


def assert_data_files_parse(project: Path) -> None:
    for path in project.rglob("*"):
        if "node_modules" in path.parts or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".json":
            json.loads(text)
        elif path.suffix in {".yml", ".yaml"}:
            yaml.safe_load(text)
        elif path.suffix == ".toml":
            tomllib.loads(text)


def assert_manifest_fits(project: Path, tasks: tuple[str, ...]) -> None:
    practices = json.loads((project / "best_practices.json").read_text())
    assert {practice["task"] for practice in practices} <= set(tasks)
    for practice in practices:
        for claim in practice["evidence"] + practice["verified_by"]:
            assert (project / claim.split("::")[0]).is_file(), claim


def check_fastapi(project: Path) -> None:
    venv = python_venv() / "bin"
    generate_stubs(project)  # with grpc: as the build writes them (the venv is shared, nothing installed)
    run([str(venv / "python"), "-m", "compileall", "-q", "."], cwd=project)
    run([str(venv / "ruff"), "check", "--no-cache", "."], cwd=project)
    run([str(venv / "ruff"), "format", "--check", "--no-cache", "."], cwd=project)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    cache = python_venv().parent / f"mypy-cache-{worker}"
    run(
        [str(venv / "mypy"), "--cache-dir", str(cache)],
        cwd=project,
        env={**os.environ, "MYPYPATH": str(project / "src")},
    )
    run([str(venv / "vulture")], cwd=project)  # dead code; settings in the project's pyproject.toml


def check_express(project: Path) -> None:
    (project / "node_modules").symlink_to(node_modules(), target_is_directory=True)
    run(["npm", "run", "--silent", "typecheck"], cwd=project)  # tsc --noEmit
    run(["npm", "run", "--silent", "lint"], cwd=project)  # eslint and prettier --check
    run(["npm", "run", "--silent", "deadcode"], cwd=project)  # knip, with the project's knip.jsonc


@pytest.mark.parametrize(("framework", "tasks", "styles", "naming"), CASES)
def test_render_is_clean_and_passes_its_gates(
    copie: Copie, framework: str, tasks: tuple[str, ...], styles: tuple[str, ...], naming: dict[str, object]
) -> None:
    methods = {"auth_methods": list(sign_in_methods(tasks, styles))} if "auth" in tasks else {}
    project = render(copie, framework=framework, tasks=list(tasks), api_styles=list(styles), **naming, **methods)
    assert_no_jinja_leftovers(project)
    assert_names_only_its_framework(project, framework)
    assert_data_files_parse(project)
    assert_manifest_fits(project, (*tasks, *styles, *methods.get("auth_methods", [])))
    if framework == "fastapi":
        check_fastapi(project)
    else:
        check_express(project)
