"""The skill runner (python -m skill): SKILL.md's contract and every task x framework, for real."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import FRAMEWORKS
from jsonschema import Draft202012Validator
from skill_calls import HEADER, SECRET_SETTINGS, SPEC, code_files, environment_without, skill_command

from extensions.tasks import NAMES, closure
from scripts.services import free_port
from skill.request import parse_request
from skill.spec import front_matter


@pytest.fixture(scope="session")
def prepared() -> dict[str, Any]:
    """The shared installs, built once outside the budget (as SKILL.md tells agents to)."""
    status, output = skill_command("", "--prepare")
    assert status == 0, output
    return output


# --- the contract ----------------------------------------------------------------------


def test_front_matter_has_the_skill_fields_with_valid_json_schemas() -> None:
    matter = front_matter()
    assert {"name", "description", "input_schema", "output_schema", "retry_config", "timeout_ms"} <= matter.keys()
    for name in ("input_schema", "output_schema", "error_schema"):
        Draft202012Validator.check_schema(matter[name])
    assert set(matter["output_schema"]["required"]) == {"code", "schema", "best_practices"}
    assert matter["input_schema"]["properties"]["task"]["enum"] == list(NAMES)
    assert matter["timeout_ms"] == 30000
    assert SPEC.timeout == 30
    assert (matter["retry_config"]["max_attempts"], matter["retry_config"]["backoff"]) == (3, "exponential")


@pytest.mark.parametrize(
    ("task", "tasks"),
    [
        ("api", ("api",)),
        ("database", ("api", "database")),
        ("auth", ("api", "database", "auth")),
        ("cache", ("api", "cache")),
        ("optimize", ("api", "database", "optimize")),
    ],
)
def test_a_task_is_rendered_with_the_tasks_it_needs(task: str, tasks: tuple[str, ...]) -> None:
    request = parse_request(json.dumps({"task": task}), SPEC)
    assert request.tasks == tasks == closure([task])
    assert request.baseline == (None if task == "api" else tuple(t for t in tasks if t != task))


@pytest.mark.parametrize(
    ("spelling", "framework"),
    [
        ("fastapi", "fastapi"),
        ("FastAPI", "fastapi"),
        ("Fast-API", "fastapi"),
        (" fast_api ", "fastapi"),
        ("express", "express"),
        ("Express", "express"),
        ("Express.js", "express"),
        ("EXPRESSJS", "express"),
        ("express-js", "express"),
    ],
)
def test_framework_spellings_are_accepted_case_insensitively(spelling: str, framework: str) -> None:
    request = {"task": "api", "framework": spelling}
    Draft202012Validator(SPEC.input_schema).validate(request)  # an agent's own check agrees
    assert parse_request(json.dumps(request), SPEC).framework == framework


def test_framework_defaults_to_fastapi() -> None:
    assert parse_request('{"task": "cache"}', SPEC).framework == "fastapi"


# --- every task x framework, for real ----------------------------------------------------


@pytest.mark.services
@pytest.mark.parametrize(
    ("framework", "task"),
    [pytest.param(framework, task, id=f"{framework}-{task}") for framework in FRAMEWORKS for task in NAMES],
)
def test_every_task_and_framework_answers_with_output_matching_output_schema(
    framework: str,
    task: str,
    service_urls: dict[str, str],
    prepared: dict[str, Any],  # noqa: ARG001  (the installs, built outside the budget)
    tmp_path: Path,
) -> None:
    dest = tmp_path / "kept"
    env = environment_without(DATABASE_URL=service_urls["DATABASE_URL"])
    status, output = skill_command(json.dumps({"task": task, "framework": framework}), "--dest", str(dest), env=env)

    assert status == 0, output
    Draft202012Validator(SPEC.output_schema).validate(output)
    assert (output["task"], output["framework"], output["tasks"]) == (task, framework, list(closure([task])))
    assert output["project_dir"] == str(dest)
    # code: each file under its header, as kept in --dest; the manifest as best_practices
    code = code_files(output["code"])
    assert list(code) == output["files"]
    for path, content in code.items():
        assert content in {text := (dest / path).read_text(encoding="utf-8"), f"{text}\n"}, path
    assert output["best_practices"] == json.loads((dest / "best_practices.json").read_text(encoding="utf-8"))
    assert {practice["task"] for practice in output["best_practices"]} <= set(output["tasks"])
    excluded = {entry["path"] for entry in output["excluded"]}
    assert ".env" in excluded
    assert ".env" not in code
    for secret in SECRET_SETTINGS.findall((dest / ".env").read_text(encoding="utf-8")):
        assert secret not in json.dumps(output)
    if task == "api":
        rendered = {path.relative_to(dest).as_posix() for path in dest.rglob("*") if path.is_file()}
        assert set(code) == rendered - excluded
    elif not code:
        assert task in output["code_note"]
    # schema: DDL from the real PostgreSQL with a database, else the OpenAPI document
    if "database" in output["tasks"]:
        assert output["schema_source"] == "postgresql"
        assert "CREATE TABLE" in output["schema"]
    else:
        assert output["schema_source"] == "openapi"
        document = json.loads(output["schema"])
        assert document["openapi"] == "3.1.0"
        assert {"/health/ready", "/api/v1/users", "/api/v1/posts/{post_id}"} <= document["paths"].keys()


@pytest.mark.parametrize(
    ("framework", "database_url"),
    [
        pytest.param("fastapi", "unreachable", id="fastapi-unreachable"),
        pytest.param("express", None, id="express-unset"),
    ],
)
def test_database_task_without_a_usable_postgresql_gives_the_migration_files(
    framework: str, database_url: str | None
) -> None:
    env = environment_without("DATABASE_URL")
    if database_url:
        env["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:{free_port()}/postgres"
    status, output = skill_command(json.dumps({"task": "database", "framework": framework}), env=env)

    assert status == 0, output
    Draft202012Validator(SPEC.output_schema).validate(output)
    assert output["schema_source"] == "migration files"
    assert ("not reachable" if database_url else "DATABASE_URL is not set") in output["schema_note"]
    if framework == "fastapi":
        assert HEADER.match(output["schema"])
        assert all(path.startswith("migrations/versions/") for path in HEADER.findall(output["schema"]))
    else:
        assert output["schema"].startswith(("==> migrations/", "-- migrations/ holds no migration"))


@pytest.mark.services
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_mongodb_render_gives_the_collections_and_indexes_its_steps_create(
    framework: str,
    mongodb_url: str,
    prepared: dict[str, Any],  # noqa: ARG001  (the installs, built outside the budget)
    tmp_path: Path,
) -> None:
    dest = tmp_path / "kept"
    env = environment_without("DATABASE_URL", MONGODB_URL=mongodb_url)
    request = {"task": "database", "framework": framework, "answers": {"database": "mongodb"}}
    status, output = skill_command(json.dumps(request), "--dest", str(dest), env=env)

    assert status == 0, output
    Draft202012Validator(SPEC.output_schema).validate(output)
    assert output["schema_source"] == "mongodb"
    schema = json.loads(output["schema"])
    assert {"users", "posts", "migrations"} <= schema["collections"].keys()
    for name in ("users", "posts"):
        assert "$jsonSchema" in schema["collections"][name]["validator"], name
    email = next(index for index in schema["indexes"]["users"] if index["name"] == "users_email")
    assert email["unique"] is True
    assert email["collation"]["strength"] == 2
    assert {index["name"] for index in schema["indexes"]["posts"]} >= {"posts_keyset", "posts_author_keyset"}
    assert schema["steps"][0] == "0001_users_posts"
    # The kept project is what Copier rendered: no build output, no linked node_modules.
    assert not (dest / "dist").exists()
    assert not (dest / "node_modules").exists()


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_mongodb_render_without_a_server_gives_its_migrate_steps(framework: str) -> None:
    env = environment_without("MONGODB_URL")
    request = {"task": "database", "framework": framework, "answers": {"database": "mongodb"}}
    status, output = skill_command(json.dumps(request), env=env)

    assert status == 0, output
    assert output["schema_source"] == "migration files"
    assert "MONGODB_URL is not set" in output["schema_note"]
    paths = HEADER.findall(output["schema"])
    assert paths
    assert all(path.startswith("src/") and "/database/" in path for path in paths)
    assert "users_email" in output["schema"]


def test_prepare_builds_the_shared_installs(prepared: dict[str, Any]) -> None:
    venv, modules = Path(prepared["prepared"]["python"]), Path(prepared["prepared"]["node"])
    assert (venv / "bin" / "alembic").is_file()
    assert (modules / ".bin" / "node-pg-migrate").exists()
