"""Every validator and dependency rule: the exact message, and no file written."""

from __future__ import annotations

import subprocess
import sys
from itertools import combinations
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, render
from pytest_copie.plugin import Copie

from extensions import auth_methods, styles
from extensions.tasks import NAMES, TASKS, allowed_subsets, ordered
from extensions.validation import tasks_problem

BAD_ANSWERS = [
    pytest.param(
        {"project_name": ""},
        "Validation error for question 'project_name': project_name must be 1-60 characters (got 0); "
        "give a shorter name.",
        id="empty-name",
    ),
    pytest.param(
        {"project_name": "x" * 61},
        "Validation error for question 'project_name': project_name must be 1-60 characters (got 61)",
        id="long-name",
    ),
    pytest.param(
        {"project_slug": "My Slug!"},
        "Validation error for question 'project_slug': project_slug 'My Slug!' is not a valid slug: use 3-40 "
        "lower-case letters, digits and hyphens, starting with a letter and ending with a letter or digit "
        "(for example 'my-slug').",
        id="slug",
    ),
    pytest.param(
        {"project_slug": "api-"},
        "project_slug 'api-' is not a valid slug",
        id="slug-trailing-hyphen",
    ),
    pytest.param(
        {"package_name": "class"},
        "Validation error for question 'package_name': package_name 'class' is a Python keyword; choose "
        "another name, for example 'class_service'.",
        id="package-keyword",
    ),
    pytest.param(
        {"package_name": "json"},
        "Validation error for question 'package_name': package_name 'json' would shadow the Python "
        "standard-library module 'json'; choose another name, for example 'json_service'.",
        id="package-stdlib",
    ),
    pytest.param(
        {"package_name": "My-Pkg"},
        "Validation error for question 'package_name': package_name 'My-Pkg' is not a valid package name: "
        "use 1-50 lower-case letters, digits and underscores, starting with a letter (for example 'my_pkg').",
        id="package-shape",
    ),
    pytest.param(
        {"framework": "express", "package_name": "logging"},
        "package_name 'logging' would shadow the Python standard-library module 'logging'",
        id="package-stdlib-on-express",
    ),
    pytest.param(
        {"framework": "express", "package_name": "http2"},
        "Validation error for question 'package_name': package_name 'http2' would shadow the Node.js "
        "built-in module 'http2'; choose another name, for example 'http2_service'.",
        id="package-node-builtin",
    ),
    pytest.param(
        {"author_email": "x@"},
        "Validation error for question 'author_email': author_email 'x@' is not an email address; give one "
        "like 'team@example.com'.",
        id="email",
    ),
    pytest.param(
        {"http_port": 80},
        "Validation error for question 'http_port': http_port 80 is outside 1024-65535: ports below 1024 "
        "need root; choose one in range, for example 8000.",
        id="port-low",
    ),
    pytest.param(
        {"http_port": 70000},
        "http_port 70000 is outside 1024-65535",
        id="port-high",
    ),
    pytest.param(
        {"http_port": "abc"},
        "Validation error for question 'http_port': http_port must be an integer from 1024 to 65535 (got 'abc'); "
        "give one such as --data http_port=8000.",
        id="port-not-a-number",
    ),
    pytest.param(
        {"http_port": ""},
        "Validation error for question 'http_port': http_port must be an integer from 1024 to 65535 (got nothing); "
        "give one such as --data http_port=8000.",
        id="port-empty",
    ),
    pytest.param(
        {"http_port": "8000.5"}, "http_port must be an integer from 1024 to 65535 (got 8000.5)", id="port-float"
    ),
    pytest.param({"http_port": "true"}, "http_port must be an integer from 1024 to 65535 (got True)", id="port-bool"),
    pytest.param(
        {"framework": "django"},
        "Invalid choice for 'framework': 'django' is not in ['fastapi', 'express']",
        id="framework-unknown",
    ),
    pytest.param(
        {"tasks": ["api", "queue"]},
        "Invalid choice for 'tasks': 'queue' is not in ['api', 'database', 'auth', 'cache', 'optimize']",
        id="tasks-unknown",
    ),
    pytest.param(
        {"tasks": ["database", "cache"]},
        "Validation error for question 'tasks': tasks must include 'api': every service serves an API; add "
        "api (for example --data tasks='[api, database, cache]').",
        id="tasks-without-api",
    ),
    pytest.param(
        {"tasks": ["api", "auth"]},
        "Validation error for question 'tasks': tasks: 'auth' requires 'database'; add database (for "
        "example --data tasks='[api, database, auth]') or drop auth.",
        id="auth-without-database",
    ),
    pytest.param(
        {"tasks": ["api", "cache", "optimize"]},
        "Validation error for question 'tasks': tasks: 'optimize' requires 'database'; add database (for "
        "example --data tasks='[api, database, cache, optimize]') or drop optimize.",
        id="optimize-without-database",
    ),
    pytest.param(
        {"api_styles": ["graphql"]},
        "Validation error for question 'api_styles': api_styles must include 'rest': every other style mirrors "
        "the REST API; add rest (for example --data api_styles='[rest, graphql]').",
        id="styles-without-rest",
    ),
    pytest.param(
        {"api_styles": ["rest", "soap"]},
        "Invalid choice for 'api_styles': 'soap' is not in ['rest', 'graphql', 'grpc', 'websocket']",
        id="styles-unknown",
    ),
    pytest.param(
        {"auth_methods": []},
        "Validation error for question 'auth_methods': auth_methods must include 'jwt': the service always issues "
        "its own tokens, whichever way users sign in; add jwt (for example --data auth_methods='[jwt]').",
        id="auth-methods-without-jwt",
    ),
    pytest.param(
        {"auth_methods": ["jwt", "saml"]},
        "Invalid choice for 'auth_methods': 'saml' is not in ['jwt', 'oauth']",
        id="auth-methods-unknown",
    ),
]


@pytest.mark.parametrize(("answers", "message"), BAD_ANSWERS)
def test_bad_answer_names_the_question_and_writes_nothing(
    copie: Copie, answers: dict[str, object], message: str
) -> None:
    result = copie.copy(extra_answers=answers)
    assert result.exit_code != 0
    assert message in str(result.exception)
    written = [path for path in copie.test_dir.rglob("*") if path.is_file()]
    assert written == []


@pytest.mark.parametrize(
    ("data", "question"),
    [
        ("project_slug=My Slug!", "project_slug"),
        ("package_name=class", "package_name"),
        ("tasks=[api, optimize]", "tasks"),
        ("api_styles=[graphql]", "api_styles"),
        ("http_port=abc", "http_port"),
    ],
)
def test_cli_rejects_bad_data_before_creating_the_destination(tmp_path: Path, data: str, question: str) -> None:
    destination = tmp_path / "service"
    copier = Path(sys.executable).with_name("copier")
    completed = subprocess.run(
        [str(copier), "copy", "--trust", "--defaults", "--data", data, str(ROOT), str(destination)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode != 0
    assert f"Validation error for question '{question}'" in completed.stderr
    assert not destination.exists()


def test_cli_names_the_port_question_and_the_fix(tmp_path: Path) -> None:
    destination = tmp_path / "service"
    copier = Path(sys.executable).with_name("copier")
    completed = subprocess.run(
        [str(copier), "copy", "--trust", "--defaults", "--data", "http_port=abc", str(ROOT), str(destination)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode != 0
    assert completed.stderr.strip().splitlines()[-1] == (
        "ValueError: Validation error for question 'http_port': http_port must be an integer from 1024 to 65535 "
        "(got 'abc'); give one such as --data http_port=8000."
    )
    assert not destination.exists()


def test_port_is_recorded_as_an_integer(copie: Copie) -> None:
    """copier update reads the answers file back: an existing `http_port: 8000` must stay valid."""
    project = render(copie, http_port="9000")
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["http_port"] == 9000


def test_tasks_question_offers_the_registry() -> None:
    question = yaml.safe_load((ROOT / "copier.yml").read_text())["tasks"]
    assert question["choices"] == {f"{task.name}: {task.label}": task.name for task in TASKS}
    assert list(question["choices"].values()) == list(NAMES)
    assert question["default"] == list(NAMES)


def test_api_styles_question_offers_the_registry() -> None:
    question = yaml.safe_load((ROOT / "copier.yml").read_text())["api_styles"]
    assert question["default"] == [styles.REQUIRED]
    values = [choice if isinstance(choice, str) else choice["value"] for choice in question["choices"].values()]
    assert values == list(styles.NAMES)
    labels = {style.name: style.label for style in styles.STYLES}
    for text, choice in question["choices"].items():
        name = choice if isinstance(choice, str) else choice["value"]
        assert text.startswith(f"{name}: {labels[name]}")
        # A style not offered yet is listed with the registry's refusal, word for word.
        refusal = None if isinstance(choice, str) else choice["validator"]
        assert refusal == (None if name in styles.OFFERED else styles.not_offered_message(name))


def test_auth_methods_question_offers_the_registry() -> None:
    question = yaml.safe_load((ROOT / "copier.yml").read_text())["auth_methods"]
    assert question["default"] == [auth_methods.REQUIRED]
    assert question["when"] == "{{ 'auth' in tasks }}"
    labels = {method.name: method.label for method in auth_methods.METHODS}
    names = []
    for text, choice in question["choices"].items():
        name = choice if isinstance(choice, str) else choice["value"]
        names.append(name)
        assert text.startswith(f"{name}: {labels[name]}")
        refusal = None if isinstance(choice, str) else choice["validator"]
        assert refusal == (None if name in auth_methods.OFFERED else auth_methods.not_offered_message(name))
    assert names == list(auth_methods.NAMES)


def test_auth_methods_is_asked_only_with_auth(copie: Copie) -> None:
    with_auth = yaml.safe_load((render(copie) / ".copier-answers.yml").read_text())
    without = yaml.safe_load((render(copie, tasks=["api", "database"]) / ".copier-answers.yml").read_text())
    assert with_auth["auth_methods"] == ["jwt"]
    assert "auth_methods" not in without


def test_every_allowed_subset_passes_the_validator_and_no_other_does() -> None:
    subsets = {frozenset(chosen) for size in range(len(NAMES) + 1) for chosen in combinations(NAMES, size)}
    accepted = {subset for subset in subsets if not tasks_problem(ordered(subset))}
    assert accepted == {frozenset(subset) for subset in allowed_subsets()}
    assert len(allowed_subsets()) == len(set(allowed_subsets())) == 10


def test_names_derive_from_the_project_name(copie: Copie) -> None:
    project = render(copie, project_name="Orders API v2!")
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["project_slug"] == "orders-api-v2"
    assert answers["package_name"] == "orders_api_v2"


@pytest.mark.parametrize("framework", ["fastapi", "express"])
def test_jwt_secret_lives_only_in_the_git_ignored_env_file(copie: Copie, framework: str) -> None:
    first = render(copie, framework=framework)
    second = render(copie, framework=framework)
    secrets = []
    for project in (first, second):
        env = dict(
            line.split("=", 1)
            for line in (project / ".env").read_text().splitlines()
            if line and not line.startswith("#")
        )
        secret = env["JWT_SECRET"]
        assert len(secret.encode()) >= 32
        assert secret not in (project / ".copier-answers.yml").read_text()
        assert secret not in (project / ".env.example").read_text()
        assert ".env" in (project / ".gitignore").read_text().splitlines()
        secrets.append(secret)
    assert secrets[0] != secrets[1], "each project must get its own secret"
