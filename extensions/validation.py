"""Answer validation for copier.yml.

Each filter returns an empty string for a good answer, otherwise one sentence
that names the question and says how to fix it. Copier aborts before writing
any file when a validator renders non-empty text.
"""

from __future__ import annotations

import keyword
import re
import runpy
import sys
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from pathlib import Path

import yaml
from jinja2 import Environment
from jinja2.ext import Extension

# Copier loads this file by path, outside any package: its helper is run by path too.
_this_checkout: Callable[[], AbstractContextManager[None]] = runpy.run_path(
    str(Path(__file__).with_name("checkout.py"))
)["this_checkout"]

with _this_checkout():
    from extensions import auth_methods, databases, styles
    from extensions.naming import snake
    from extensions.tasks import REQUIRED, missing_requirements, ordered

SLUG = re.compile(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$")
PACKAGE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
MIN_PORT, MAX_PORT = 1024, 65535
# Node's built-in modules: an Express package named like one would shadow it.
NODE_BUILTINS = frozenset(
    [
        "assert",
        "async_hooks",
        "buffer",
        "child_process",
        "cluster",
        "console",
        "constants",
        "crypto",
        "dgram",
        "diagnostics_channel",
        "dns",
        "domain",
        "events",
        "fs",
        "http",
        "http2",
        "https",
        "inspector",
        "module",
        "net",
        "os",
        "path",
        "perf_hooks",
        "process",
        "punycode",
        "querystring",
        "readline",
        "repl",
        "stream",
        "string_decoder",
        "sys",
        "timers",
        "tls",
        "trace_events",
        "tty",
        "url",
        "util",
        "v8",
        "vm",
        "wasi",
        "worker_threads",
        "zlib",
        "test",
    ]
)


def project_name_problem(value: str) -> str:
    if not 1 <= len(value.strip()) <= 60:
        return f"project_name must be 1-60 characters (got {len(value.strip())}); give a shorter name."
    return ""


def project_slug_problem(value: str) -> str:
    if SLUG.match(value):
        return ""
    return (
        f"project_slug {value!r} is not a valid slug: use 3-40 lower-case letters, digits and "
        f"hyphens, starting with a letter and ending with a letter or digit (for example "
        f"{_suggest_slug(value)!r})."
    )


def package_name_problem(value: str, framework: str = "fastapi") -> str:
    if not PACKAGE.match(value):
        return (
            f"package_name {value!r} is not a valid package name: use 1-50 lower-case letters, "
            f"digits and underscores, starting with a letter (for example {_suggest_package(value)!r})."
        )
    if keyword.iskeyword(value) or keyword.issoftkeyword(value):
        return f"package_name {value!r} is a Python keyword; choose another name, for example '{value}_service'."
    if value in sys.stdlib_module_names:
        return (
            f"package_name {value!r} would shadow the Python standard-library module {value!r}; "
            f"choose another name, for example '{value}_service'."
        )
    if framework == "express" and value in NODE_BUILTINS:
        return (
            f"package_name {value!r} would shadow the Node.js built-in module {value!r}; "
            f"choose another name, for example '{value}_service'."
        )
    return ""


def author_email_problem(value: str) -> str:
    if EMAIL.match(value):
        return ""
    return f"author_email {value!r} is not an email address; give one like 'team@example.com'."


def http_port_problem(value: object) -> str:
    # copier.yml asks with `type: yaml`, not `int`: Copier casts an int answer with int()
    # before any validator runs, and "abc" would stop it with a message naming no question.
    if isinstance(value, bool) or not isinstance(value, int):
        given = "nothing" if value is None else repr(value)
        return (
            f"http_port must be an integer from {MIN_PORT} to {MAX_PORT} (got {given}); "
            f"give one such as --data http_port=8000."
        )
    if MIN_PORT <= value <= MAX_PORT:
        return ""
    return (
        f"http_port {value!r} is outside {MIN_PORT}-{MAX_PORT}: ports below {MIN_PORT} need root; "
        f"choose one in range, for example 8000."
    )


def _previous_answer(question: str, destination: object, answers_file: object) -> object:
    """The answer an existing project recorded for ``question``; None for a new project."""
    answers = Path(str(destination)) / str(answers_file)
    try:
        previous = yaml.safe_load(answers.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return None  # a new project, or one Copier will report on itself
    return previous.get(question) if isinstance(previous, dict) else None


def framework_change_problem(value: str, destination: object, answers_file: object) -> str:
    """Refuse to switch an existing project's framework: an update cannot port code between stacks."""
    before = _previous_answer("framework", destination, answers_file)
    if before in (None, value):
        return ""
    return (
        f"framework cannot change from {before!r} to {value!r} in an existing project: Copier would "
        f"mix both trees. Keep --data framework={before}, or render a new {value} project with "
        f"copier copy into another directory and move your code across."
    )


def database_problem(
    value: str, tasks: Iterable[str], api_styles: Iterable[str], destination: object, answers_file: object
) -> str:
    """A database not offered yet or not for these answers, or a switch of an existing project's."""
    if value not in databases.OFFERED:
        return databases.not_offered_message(value)
    beyond = databases.reach_message(value, tasks=list(tasks), api_styles=list(api_styles))
    if beyond:
        return beyond
    before = _previous_answer("database", destination, answers_file)
    if before in (None, value):
        return ""
    return (
        f"database cannot change from {before!r} to {value!r} in an existing project: the data and "
        f"the migrations would not follow. Keep --data database={before}, or render a new project "
        f"with --data database={value} into another directory and move your data across."
    )


def tasks_problem(value: Iterable[str]) -> str:
    chosen = list(value)
    if REQUIRED not in chosen:
        return (
            f"tasks must include {REQUIRED!r}: every service serves an API; add {REQUIRED} "
            f"(for example --data tasks='{_task_list([REQUIRED, *chosen])}')."
        )
    lacking = missing_requirements(chosen)
    if not lacking:
        return ""
    task, missing = next(iter(lacking.items()))  # the first in answer order
    return (
        f"tasks: {task!r} requires {' and '.join(map(repr, missing))}; add "
        f"{', '.join(missing)} (for example --data tasks='{_task_list([*chosen, *missing])}') or drop {task}."
    )


def api_styles_problem(value: Iterable[str]) -> str:
    chosen = list(value)
    if styles.REQUIRED not in chosen:
        example = "[" + ", ".join(styles.ordered([styles.REQUIRED, *chosen])) + "]"
        return (
            f"api_styles must include {styles.REQUIRED!r}: every other style mirrors the REST API; "
            f"add {styles.REQUIRED} (for example --data api_styles='{example}')."
        )
    refused = [name for name in chosen if name not in styles.OFFERED]
    return styles.not_offered_message(refused[0]) if refused else ""


def auth_methods_problem(value: Iterable[str], database: str = databases.DEFAULT) -> str:
    """A sign-in method missing, not offered yet, or not yet served by the chosen ``database``."""
    chosen = list(value)
    if auth_methods.REQUIRED not in chosen:
        example = "[" + ", ".join(name for name in auth_methods.NAMES if name in {auth_methods.REQUIRED, *chosen}) + "]"
        return (
            f"auth_methods must include {auth_methods.REQUIRED!r}: the service always issues its own tokens, "
            f"whichever way users sign in; add {auth_methods.REQUIRED} (for example --data auth_methods='{example}')."
        )
    refused = [name for name in chosen if name not in auth_methods.OFFERED]
    if refused:
        return auth_methods.not_offered_message(refused[0])
    return databases.reach_message(database, auth_methods=chosen)


def _task_list(chosen: Iterable[str]) -> str:
    return "[" + ", ".join(ordered(chosen)) + "]"


def _suggest_slug(value: str) -> str:
    slug = "-".join(part for part in re.split(r"[^a-z0-9]+", value.lower()) if part)
    if not slug or not slug[0].isalpha():
        slug = f"svc-{slug}".rstrip("-")
    return slug[:40].rstrip("-") if len(slug) >= 3 else "my-service"


def _suggest_package(value: str) -> str:
    name = snake(value)
    if not name or not name[0].isalpha():
        name = f"svc_{name}".rstrip("_")
    return name[:50]


class ValidationExtension(Extension):
    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters.update(
            project_name_problem=project_name_problem,
            project_slug_problem=project_slug_problem,
            package_name_problem=package_name_problem,
            author_email_problem=author_email_problem,
            http_port_problem=http_port_problem,
            tasks_problem=tasks_problem,
            api_styles_problem=api_styles_problem,
            auth_methods_problem=auth_methods_problem,
            framework_change_problem=framework_change_problem,
            database_problem=database_problem,
        )
