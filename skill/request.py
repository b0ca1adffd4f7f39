"""Turn the caller's JSON into a checked Request, before anything is written.

Three layers, in order: JSON syntax; SKILL.md's input_schema (types, the task
enum, the framework spellings); then the template's own answer validators
(extensions/validation.py, the ones copier.yml runs), so a bad slug or port is
reported with the field's name instead of surfacing from a render.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from extensions import databases
from extensions.naming import kebab, snake
from extensions.tasks import closure
from extensions.validation import (
    author_email_problem,
    http_port_problem,
    package_name_problem,
    project_name_problem,
    project_slug_problem,
)
from skill.errors import ROOT_FIELD, InvalidInputError, InvalidJsonError
from skill.spec import Spec

# Spellings that input_schema's pattern admits, reduced to letters: "Express.js" -> "expressjs".
FRAMEWORKS = {"fastapi": "fastapi", "express": "express", "expressjs": "express"}


@dataclass(frozen=True)
class Request:
    task: str
    framework: str
    answers: dict[str, object] = field(default_factory=dict)
    # The template revision to render; HEAD renders this checkout as it is, uncommitted edits included.
    vcs_ref: str = "HEAD"

    @property
    def tasks(self) -> tuple[str, ...]:
        """The template's ``tasks`` answer: this task with every task it needs."""
        return closure([self.task])

    @property
    def baseline(self) -> tuple[str, ...] | None:
        """The same answers without this task (None for api, which everything needs)."""
        if self.task == "api":
            return None
        return tuple(task for task in self.tasks if task != self.task)


def parse_request(raw: str, spec: Spec) -> Request:
    data = _load_json(raw)
    errors = sorted(Draft202012Validator(spec.input_schema).iter_errors(data), key=_error_order)
    if errors:
        raise _as_input_error(errors[0])
    framework = FRAMEWORKS[re.sub(r"[\s._-]", "", str(data.get("framework", "fastapi")).casefold())]
    answers = {name: _plain(value) for name, value in data.get("answers", {}).items()}
    _check_answers(answers, framework)
    if "database" in answers and (
        problem := databases.reach_message(str(answers["database"]), tasks=closure([data["task"]]))
    ):
        raise InvalidInputError(problem, field="answers.database")
    return Request(task=data["task"], framework=framework, answers=answers)


def _load_json(raw: str) -> Any:  # noqa: ANN401  (any JSON value, checked by the schema next)
    def reject(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")

    try:
        return json.loads(raw, parse_constant=reject)
    except ValueError as error:
        detail = "the request is empty" if not raw.strip() else f"the request is not valid JSON: {error}"
        raise InvalidJsonError(f'{detail}; send one JSON object such as {{"task": "api"}}', field=ROOT_FIELD) from None


def _plain(value: object) -> object:
    # JSON Schema counts 8000.0 as an integer; the template wants 8000.
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _error_order(error: ValidationError) -> tuple[str, str]:
    return (".".join(map(str, error.absolute_path)), str(error.validator))


def _field_name(path: Iterable[object]) -> str:
    return ".".join(map(str, path)) or ROOT_FIELD


def _json_type(value: object) -> str:
    names = {bool: "boolean", int: "integer", float: "number", str: "string", list: "array", dict: "object"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _as_input_error(error: ValidationError) -> InvalidInputError:
    path = list(error.absolute_path)
    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    instance: Any = error.instance
    expected: Any = error.validator_value
    match error.validator:
        case "required":
            missing = next(name for name in expected if name not in instance)
            name = _field_name([*path, missing])
            return InvalidInputError(f"{name} is required", field=name)
        case "additionalProperties":
            known = sorted(schema.get("properties", {}))
            extra = min(set(instance) - set(known))
            name = _field_name([*path, extra])
            return InvalidInputError(f"{name} is not a known field; known fields: {', '.join(known)}", field=name)
        case "type":
            name = _field_name(path)
            return InvalidInputError(f"{name} must be of type {expected} (got {_json_type(instance)})", field=name)
        case "enum":
            name = _field_name(path)
            allowed = ", ".join(map(str, expected))
            return InvalidInputError(f"{name} must be one of {allowed} (got {json.dumps(instance)})", field=name)
        case "pattern":
            name = _field_name(path)
            return InvalidInputError(
                f"{name} {json.dumps(instance)} is not supported: {schema.get('description', error.message)}",
                field=name,
            )
    name = _field_name(path)
    return InvalidInputError(f"{name}: {error.message}", field=name)


def _check_answers(answers: dict[str, object], framework: str) -> None:
    """Run copier.yml's validators on the given answers and on what Copier would derive from them."""
    checks: list[tuple[str, Callable[[Any], str]]] = [
        ("project_name", project_name_problem),
        ("author_email", author_email_problem),
        ("http_port", http_port_problem),
        ("project_slug", project_slug_problem),
        ("package_name", lambda value: package_name_problem(value, framework)),
    ]
    for name, problem_of in checks:
        if name in answers and (problem := problem_of(answers[name])):
            raise InvalidInputError(problem, field=f"answers.{name}")
    # Copier derives the slug from the name and the package from the slug: a name
    # can be fine and still yield a bad slug ("A" -> "a").
    if "project_name" in answers and "project_slug" not in answers:
        slug = kebab(str(answers["project_name"]))
        if problem := project_slug_problem(slug):
            raise InvalidInputError(_derived(problem, "project_slug", "project_name"), field="answers.project_name")
    if "package_name" not in answers and {"project_name", "project_slug"} & answers.keys():
        source = "project_slug" if "project_slug" in answers else "project_name"
        slug = str(answers["project_slug"]) if source == "project_slug" else kebab(str(answers["project_name"]))
        if problem := package_name_problem(snake(slug), framework):
            raise InvalidInputError(_derived(problem, "package_name", source), field=f"answers.{source}")


def _derived(problem: str, derived: str, source: str) -> str:
    return f"{problem} ({derived} is derived from answers.{source}: change it or set answers.{derived} yourself)"
