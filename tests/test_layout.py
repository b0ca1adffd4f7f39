"""README "Layout": one vocabulary, each row a file (and name) that both renders hold.

The task column may name an API style or a sign-in method: the file is then in the full
render with every style and method, and in no render without it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ALL_STYLES, FRAMEWORKS, ROOT, render
from pytest_copie.plugin import Copie

from extensions import auth_methods, styles
from extensions.tasks import NAMES
from hooks.definitions import names_in

CELL = re.compile(r"^`([^`]+)`$")
ALL, API_ONLY = "api", "api only"


def layout_rows() -> list[tuple[str, str, str]]:
    """(task, FastAPI path, Express path) of each row of the README's Layout table."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n### Layout\n", 1)[1].split("\n#", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[2] == "FastAPI" or set(cells[2]) <= {"-"}:
            continue
        fastapi, express = (CELL.fullmatch(cell) for cell in cells[2:])
        if fastapi is None or express is None:
            message = f"README Layout row without `path` cells: {line}"
            raise ValueError(message)
        rows.append((cells[1], fastapi.group(1), express.group(1)))
    return rows


ROWS = layout_rows()


def stem(framework: str, path: str) -> tuple[str, str]:
    """The folder-relative stem and the name, by the README's mapping rule."""
    file, _, name = path.partition("::")
    if framework == "fastapi":
        relative = file.removeprefix("src/<package>/").removesuffix(".py")
    else:
        relative = file.removeprefix("src/").removesuffix(".ts")
        folder, _, base = relative.rpartition("/")
        if folder and base.startswith(f"{folder.rsplit('/', 1)[-1]}."):
            relative = f"{folder}/{base.split('.', 1)[1]}"
    camel_as_snake = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
    return relative, camel_as_snake


def test_the_table_lists_rows_of_every_task_and_style() -> None:
    offered = {style for style in styles.OFFERED if style != styles.REQUIRED}
    methods = {method for method in auth_methods.OFFERED if method != auth_methods.REQUIRED}
    assert {task for task, _, _ in ROWS} == {*NAMES, *offered, *methods, API_ONLY}


@pytest.mark.parametrize(("task", "fastapi", "express"), ROWS, ids=[row[1] for row in ROWS])
def test_each_row_names_one_concept_the_same_way(task: str, fastapi: str, express: str) -> None:
    assert fastapi.startswith("src/<package>/"), fastapi
    assert stem("fastapi", fastapi) == stem("express", express), f"{task}: {fastapi} vs {express}"


def holds(project: Path, path: str) -> str | None:
    """Why ``project`` does not hold ``path`` (and its ``::name``), or None."""
    file, _, name = path.partition("::")
    target = project / file
    if not target.is_file():
        return f"{file}: missing"
    if name and name not in (names_in(target) or frozenset()):
        return f"{file}: does not define {name}"
    return None


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_renders_hold_what_the_table_lists(copie: Copie, framework: str) -> None:
    full = render(copie, framework=framework, api_styles=list(ALL_STYLES), auth_methods=list(auth_methods.OFFERED))
    lean = render(copie, framework=framework, tasks=["api"])
    problems = []
    for task, fastapi, express in ROWS:
        path = fastapi if framework == "fastapi" else express
        if framework == "fastapi":
            package = next(full.glob("src/*/app.py")).parent.name
            path = path.replace("<package>", package)
        in_full, in_lean = holds(full, path), holds(lean, path)
        if task != API_ONLY and in_full:
            problems.append(f"full render: {in_full}")
        if task in (ALL, API_ONLY) and in_lean:
            problems.append(f"api-only render: {in_lean}")
        if task not in (ALL, API_ONLY) and in_lean is None:
            problems.append(f"api-only render: {path} present without {task}")
        if task == API_ONLY and in_full is None:
            problems.append(f"full render: {path} present with database")
    assert not problems, "\n".join(problems)
