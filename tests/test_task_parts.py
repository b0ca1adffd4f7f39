"""Task parts: each task folder's share of the READMEs and config files (extensions/parts.py)."""

from __future__ import annotations

import re

import pytest
from conftest import FRAMEWORKS, ROOT, render
from jinja2 import Environment, FileSystemLoader
from pytest_copie.plugin import Copie

from extensions.parts import TaskPartsExtension, part_path

PARTS = sorted(path for path in (ROOT / "template").rglob("_parts/*") if path.is_file())
INCLUDED = re.compile(r"""task_parts\("([^"]+)"\)""")


def test_parts_come_in_answer_order_and_only_from_tasks_that_have_them() -> None:
    environment = Environment(loader=FileSystemLoader(ROOT), extensions=[TaskPartsExtension], autoescape=True)
    template = environment.from_string('{{ task_parts("readme-settings.md") | join("\n") }}')
    found = template.render(framework="express", tasks=["api", "database", "cache"]).splitlines()
    database = part_path("express", "database", "readme-settings.md", flag="postgresql")
    assert found == [database, part_path("express", "cache", "readme-settings.md")]


def test_the_database_parts_are_its_engines() -> None:
    environment = Environment(loader=FileSystemLoader(ROOT), extensions=[TaskPartsExtension], autoescape=True)
    template = environment.from_string('{{ task_parts("readme-settings.md") | join("\n") }}')
    answers = {"framework": "fastapi", "tasks": ["api", "database"]}
    assert template.render(**answers, database="postgresql") == template.render(**answers)
    assert "{% if use_postgresql %}database{% endif %}/_parts/" in template.render(**answers)
    assert "{% if use_postgresql %}" not in template.render(**answers, database="mongodb")


def test_a_sign_in_methods_parts_come_last_and_only_when_its_flag_is_set() -> None:
    environment = Environment(loader=FileSystemLoader(ROOT), extensions=[TaskPartsExtension], autoescape=True)
    template = environment.from_string('{{ task_parts("readme-settings.md") | join("\n") }}')
    answers = {"framework": "fastapi", "tasks": ["api", "database", "auth"], "auth_methods": ["jwt", "oauth"]}
    found = template.render(**answers, use_oauth=True).splitlines()
    assert found[-1] == part_path("fastapi", "oauth", "readme-settings.md")
    assert part_path("fastapi", "oauth", "readme-settings.md") not in template.render(**answers, use_oauth=False)


def test_every_part_is_included_by_a_shared_file() -> None:
    shared = [path for path in (ROOT / "template").rglob("*.jinja") if "_parts" not in path.parts]
    included = {name for path in shared for name in INCLUDED.findall(path.read_text(encoding="utf-8"))}
    assert PARTS
    assert {path.name for path in PARTS} <= included


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_rendered_project_holds_no_parts(copie: Copie, framework: str) -> None:
    project = render(copie, framework=framework)  # every task: every task folder's parts
    assert [path for path in project.rglob("_parts") if "node_modules" not in path.parts] == []
