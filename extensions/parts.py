"""Task parts: the README sections and config fragments a task folder carries for shared files.

A shared file (README.md, .env.example, compose.yaml, ...) holds what every render has and
includes, where a task adds something, the part of each chosen task that has one::

    {% for part in task_parts("readme-settings.md") %}{% include part %}{% endfor -%}

The parts of a task live in ``_parts/`` inside its source folder, which copier.yml excludes
from the rendered project. Each part is whole lines ending in a newline, unless the shared
file includes it inside a sentence (it then says so).
"""

from __future__ import annotations

from typing import cast

from jinja2 import Environment, TemplateNotFound, pass_context
from jinja2.ext import Extension
from jinja2.runtime import Context

# The folder that holds each framework's task folders, relative to the repository root
# (the root of Copier's template loader, so these paths can be included as they are).
SOURCE_ROOTS = {
    "fastapi": "template/fastapi/src/{{package_name}}",
    "express": "template/express/src",
}


def part_path(framework: str, task: str, name: str) -> str:
    """Where the task's part ``name`` would be: in ``_parts/`` of its task folder."""
    return f"{SOURCE_ROOTS[framework]}/{{% if use_{task} %}}{task}{{% endif %}}/_parts/{name}"


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
    then of each chosen API style beyond REST, then of each sign-in method beyond the service's
    own tokens (a style's or method's folder is built like a task's)."""
    framework = cast("str", context["framework"])
    tasks = cast("list[str]", context["tasks"])  # Copier keeps a multiselect in choice order
    styles = [style for style in cast("list[str]", context.get("api_styles", [])) if style != "rest"]
    # A method's use_<name> flag is set only when auth is chosen (extensions/context.py).
    chosen_methods = cast("list[str]", context.get("auth_methods", []))
    methods = [method for method in chosen_methods if context.get(f"use_{method}") is True]
    paths = (part_path(framework, folder, name) for folder in (*tasks, *styles, *methods))
    return [path for path in paths if _exists(context.environment, path)]


class TaskPartsExtension(Extension):
    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.globals["task_parts"] = task_parts
