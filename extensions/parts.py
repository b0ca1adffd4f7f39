"""Task parts: the README sections and config fragments a task folder carries for shared files.

A shared file (README.md, .env.example, compose.yaml, ...) holds what every render has and
includes, where a task adds something, the part of each chosen task that has one::

    {% for part in task_parts("readme-settings.md") %}{% include part %}{% endfor -%}

The parts of a task live in ``_parts/`` inside its source folder, which copier.yml excludes
from the rendered project. Each part is whole lines ending in a newline, unless the shared
file includes it inside a sentence (it then says so).
"""

from __future__ import annotations

import runpy
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import cast

from jinja2 import Environment, TemplateNotFound, pass_context
from jinja2.ext import Extension
from jinja2.runtime import Context

# Copier loads this file by path, outside any package: its helper is run by path too.
_this_checkout: Callable[[], AbstractContextManager[None]] = runpy.run_path(
    str(Path(__file__).with_name("checkout.py"))
)["this_checkout"]

with _this_checkout():
    from extensions import auth_methods, databases

# The folder that holds each framework's task folders, relative to the repository root
# (the root of Copier's template loader, so these paths can be included as they are).
SOURCE_ROOTS = {
    "fastapi": "template/fastapi/src/{{package_name}}",
    "express": "template/express/src",
}


def part_path(framework: str, task: str, name: str, *, flag: str | None = None) -> str:
    """Where the task's part ``name`` would be: in ``_parts/`` of its task folder.

    A folder is named for its task and rendered when its flag (``use_<task>`` unless given)
    is set: the database task has one folder per engine, each flagged ``use_<engine>``.
    """
    return f"{SOURCE_ROOTS[framework]}/{{% if use_{flag or task} %}}{task}{{% endif %}}/_parts/{name}"


def _exists(environment: Environment, path: str) -> bool:
    if environment.loader is None:
        return False
    try:
        environment.loader.get_source(environment, path)
    except TemplateNotFound:
        return False
    return True


@pass_context
def task_parts(context: Context, name: str) -> list[str]:
    """The include paths of part ``name`` of each chosen task that has one, in answer order,
    then of each chosen sign-in method beyond jwt, then of each chosen API style beyond REST
    (their folders are built like a task's)."""
    framework = cast("str", context["framework"])
    tasks = cast("list[str]", context["tasks"])  # Copier keeps a multiselect in choice order
    # use_<method> is true only with auth (extensions/context.py).
    methods = [method for method in auth_methods.OPTIONAL if context.get(f"use_{method}") is True]
    styles = [style for style in cast("list[str]", context.get("api_styles", [])) if style != "rest"]
    # The database task's folder is its engine's (extensions/databases.py).
    flags = {"database": cast("str", context.get("database", databases.DEFAULT))}
    paths = (part_path(framework, folder, name, flag=flags.get(folder)) for folder in (*tasks, *methods, *styles))
    return [path for path in paths if _exists(context.environment, path)]


class TaskPartsExtension(Extension):
    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.globals["task_parts"] = task_parts
