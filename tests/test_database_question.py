"""The ``database`` question: its choices, when it is asked, and the refusals of its validator."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import ROOT, render
from jinja2 import Environment
from pytest_copie.plugin import Copie

from extensions import databases
from extensions.context import DerivedValuesHook
from extensions.validation import auth_methods_problem, database_problem

ANSWERS_FILE = ".copier-answers.yml"
# Tasks and styles every engine serves.
SLICE = (["api", "database"], ["rest"])


def test_database_question_offers_the_registry() -> None:
    question = yaml.safe_load((ROOT / "copier.yml").read_text())["database"]
    assert question["default"] == databases.DEFAULT
    assert question["when"] == "{{ 'database' in tasks }}"
    labels = {engine.name: engine.label for engine in databases.ENGINES}
    names = []
    for text, choice in question["choices"].items():
        name = choice if isinstance(choice, str) else choice["value"]
        names.append(name)
        assert text.startswith(f"{name}: {labels[name]}")
        # An engine not offered yet is listed with the registry's refusal, word for word.
        refusal = None if isinstance(choice, str) else choice["validator"]
        assert refusal == (None if name in databases.OFFERED else databases.not_offered_message(name))
    assert names == list(databases.NAMES)


def test_database_is_asked_and_recorded_only_with_the_database_task(copie: Copie) -> None:
    with_database = yaml.safe_load((render(copie, tasks=["api", "database"]) / ANSWERS_FILE).read_text())
    without = yaml.safe_load((render(copie, tasks=["api"]) / ANSWERS_FILE).read_text())
    assert with_database["database"] == "postgresql"
    assert "database" not in without


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        pytest.param(
            {"database": "mongodb", "api_styles": ["rest", "grpc"]},
            "Validation error for question 'database': database: 'mongodb' works so far with the api_styles "
            "rest; drop grpc (for example --data api_styles='[rest]') or choose --data database=postgresql.",
            id="beyond-its-reach",
        ),
        pytest.param(
            {"database": "mongodb", "tasks": ["api", "database", "auth"], "auth_methods": ["jwt", "oauth"]},
            "Validation error for question 'auth_methods': database: 'mongodb' works so far with the auth_methods "
            "jwt; drop oauth (for example --data auth_methods='[jwt]') or choose --data database=postgresql.",
            id="sign-in-beyond-its-reach",
        ),
        pytest.param(
            {"database": "mysql"},
            "Invalid choice for 'database': 'mysql' is not in ['postgresql', 'mongodb']",
            id="unknown",
        ),
    ],
)
def test_a_database_it_cannot_render_writes_nothing(copie: Copie, answers: dict[str, object], message: str) -> None:
    result = copie.copy(extra_answers=answers)
    assert result.exit_code != 0
    assert message in str(result.exception)
    assert [path for path in copie.test_dir.rglob("*") if path.is_file()] == []


def _project_with(tmp_path: Path, answers: dict[str, object]) -> Path:
    (tmp_path / ANSWERS_FILE).write_text(yaml.safe_dump(answers))
    return tmp_path


def test_an_existing_project_keeps_its_database(tmp_path: Path) -> None:
    project = _project_with(tmp_path, {"framework": "fastapi", "database": "postgresql"})
    assert database_problem("postgresql", *SLICE, project, ANSWERS_FILE) == ""
    assert database_problem("mongodb", *SLICE, project, ANSWERS_FILE) == (
        "database cannot change from 'postgresql' to 'mongodb' in an existing project: the data and the "
        "migrations would not follow. Keep --data database=postgresql, or render a new project with "
        "--data database=mongodb into another directory and move your data across."
    )


def test_a_new_project_or_one_without_the_answer_may_choose(tmp_path: Path) -> None:
    # No answers file yet (copier copy), and a project from before the question (or without the task).
    assert database_problem("mongodb", *SLICE, tmp_path, ANSWERS_FILE) == ""
    project = _project_with(tmp_path, {"framework": "fastapi", "tasks": ["api"]})
    assert database_problem("mongodb", *SLICE, project, ANSWERS_FILE) == ""


@pytest.mark.parametrize(
    ("tasks", "flags"),
    [
        (["api", "database"], {"use_postgresql": True, "use_mongodb": False}),
        (["api"], {"use_postgresql": False, "use_mongodb": False}),
    ],
)
def test_the_render_context_has_one_flag_per_engine(tasks: list[str], flags: dict[str, bool]) -> None:
    context: dict[str, object] = {"tasks": tasks, "database": databases.DEFAULT}
    DerivedValuesHook(Environment(autoescape=True)).hook(context)
    assert {name: context[name] for name in flags} == flags


@pytest.mark.parametrize(
    ("tasks", "styles", "message"),
    [
        pytest.param(
            ["api", "database"],
            ["rest", "graphql", "websocket"],
            "database: 'mongodb' works so far with the api_styles rest; drop graphql, websocket (for example "
            "--data api_styles='[rest]') or choose --data database=postgresql.",
            id="style",
        ),
        # Every task, optimize included (issue 21): nothing to drop with REST alone.
        pytest.param(["api", "database", "auth", "cache", "optimize"], ["rest"], "", id="every-task"),
    ],
)
def test_mongodb_names_what_it_does_not_serve_yet(
    tmp_path: Path, tasks: list[str], styles: list[str], message: str
) -> None:
    assert database_problem("mongodb", tasks, styles, tmp_path, ANSWERS_FILE) == message
    assert database_problem("postgresql", tasks, styles, tmp_path, ANSWERS_FILE) == ""


def test_sign_in_methods_are_checked_against_the_engine() -> None:
    # auth_methods is asked after database: its validator gets the engine.
    assert auth_methods_problem(["jwt", "oauth"], "mongodb") == (
        "database: 'mongodb' works so far with the auth_methods jwt; drop oauth (for example "
        "--data auth_methods='[jwt]') or choose --data database=postgresql."
    )
    assert auth_methods_problem(["jwt"], "mongodb") == ""
    assert auth_methods_problem(["jwt", "oauth"], "postgresql") == ""
    question = yaml.safe_load((ROOT / "copier.yml").read_text())["auth_methods"]
    assert question["validator"] == "{{ auth_methods | auth_methods_problem(database) }}"
