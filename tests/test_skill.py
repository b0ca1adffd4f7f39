"""The skill runner (python -m skill): SKILL.md's contract, every task x framework, bad
requests, the budget and the retry policy."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from conftest import FRAMEWORKS, ROOT
from jsonschema import Draft202012Validator

from extensions.tasks import NAMES, closure
from scripts.services import free_port
from skill import cli, render
from skill.budget import Deadline
from skill.proc import run
from skill.request import Request, parse_request
from skill.runner import Renders, Steps, render_pair, run_skill
from skill.schema import Schema
from skill.spec import front_matter, load_spec

SPEC = load_spec()
HEADER = re.compile(r"^==> (.+) <==\n", re.MULTILINE)
SECRET_SETTINGS = re.compile(r"^(?:JWT_SECRET|POSTGRES_PASSWORD)=(.+)$", re.MULTILINE)


def _skill(request: str, *args: str, env: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    """The real command line, as an agent runs it."""
    completed = subprocess.run(
        [sys.executable, "-m", "skill", *args],
        input=request,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.stdout, completed.stderr
    return completed.returncode, json.loads(completed.stdout)


def _main(request: str, *args: str, execute: Callable[..., dict[str, object]] = run_skill) -> tuple[int, Any]:
    """The command line in-process, so a test can replace a step of the run."""
    stdout = io.StringIO()
    status = cli.main(list(args), stdin=io.StringIO(request), stdout=stdout, execute=execute)
    return status, json.loads(stdout.getvalue())


def _code_files(code: str) -> dict[str, str]:
    parts = HEADER.split(code)
    assert parts[0] == "", "code starts with a header line"
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _environment_without(*names: str, **values: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in names}
    return {**env, **values}


@pytest.fixture(scope="session")
def prepared() -> dict[str, Any]:
    """The shared installs, built once outside the budget (as SKILL.md tells agents to)."""
    status, output = _skill("", "--prepare")
    assert status == 0, output
    return output


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working and temporary directory, to prove what a run leaves behind."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.chdir(scratch)
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    return scratch


class Flaky:
    """A render step that raises the given errors first, then renders for real."""

    def __init__(self, *failures: Exception, forever: bool = False) -> None:
        self.failures = list(failures)
        self.forever = forever
        self.calls = 0

    def __call__(self, request: Request, workdir: Path, deadline: Deadline) -> Renders:
        self.calls += 1
        if self.forever:
            raise self.failures[0]
        if self.failures:
            raise self.failures.pop(0)
        return render_pair(request, workdir, deadline)


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
    env = _environment_without(DATABASE_URL=service_urls["DATABASE_URL"])
    status, output = _skill(json.dumps({"task": task, "framework": framework}), "--dest", str(dest), env=env)

    assert status == 0, output
    Draft202012Validator(SPEC.output_schema).validate(output)
    assert (output["task"], output["framework"], output["tasks"]) == (task, framework, list(closure([task])))
    assert output["project_dir"] == str(dest)
    # code: each file under its header, as kept in --dest; the manifest as best_practices
    code = _code_files(output["code"])
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
    env = _environment_without("DATABASE_URL")
    if database_url:
        env["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:{free_port()}/postgres"
    status, output = _skill(json.dumps({"task": "database", "framework": framework}), env=env)

    assert status == 0, output
    Draft202012Validator(SPEC.output_schema).validate(output)
    assert output["schema_source"] == "migration files"
    assert ("not reachable" if database_url else "DATABASE_URL is not set") in output["schema_note"]
    if framework == "fastapi":
        assert HEADER.match(output["schema"])
        assert all(path.startswith("migrations/versions/") for path in HEADER.findall(output["schema"]))
    else:
        assert output["schema"].startswith(("==> migrations/", "-- migrations/ holds no migration"))


# --- bad requests ----------------------------------------------------------------------

BAD_REQUESTS = [
    pytest.param('{"task": "api"', "invalid_json", "$", id="not-json"),
    pytest.param("", "invalid_json", "$", id="empty"),
    pytest.param('{"task": NaN}', "invalid_json", "$", id="nan"),
    pytest.param('["api"]', "invalid_input", "$", id="not-an-object"),
    pytest.param("{}", "invalid_input", "task", id="missing-task"),
    pytest.param('{"task": "graphql"}', "invalid_input", "task", id="unknown-task"),
    pytest.param('{"task": 3}', "invalid_input", "task", id="task-not-a-string"),
    pytest.param('{"task": "api", "framework": "django"}', "invalid_input", "framework", id="unsupported-framework"),
    pytest.param(
        '{"task": "api", "framework": ["fastapi"]}', "invalid_input", "framework", id="framework-not-a-string"
    ),
    pytest.param('{"task": "api", "framwork": "express"}', "invalid_input", "framwork", id="unknown-field"),
    pytest.param('{"task": "api", "answers": "x"}', "invalid_input", "answers", id="answers-not-an-object"),
    pytest.param('{"task": "api", "answers": {"tasks": []}}', "invalid_input", "answers.tasks", id="tasks-as-answer"),
    pytest.param(
        '{"task": "api", "answers": {"http_port": "8000"}}', "invalid_input", "answers.http_port", id="port-string"
    ),
    pytest.param('{"task": "api", "answers": {"http_port": 80}}', "invalid_input", "answers.http_port", id="port-80"),
    pytest.param(
        '{"task": "api", "answers": {"project_slug": "Not A Slug"}}',
        "invalid_input",
        "answers.project_slug",
        id="bad-slug",
    ),
    pytest.param(
        '{"task": "api", "answers": {"project_name": "A"}}',
        "invalid_input",
        "answers.project_name",
        id="name-deriving-a-bad-slug",
    ),
    pytest.param(
        '{"task": "api", "framework": "express", "answers": {"package_name": "crypto"}}',
        "invalid_input",
        "answers.package_name",
        id="package-shadowing-node",
    ),
    pytest.param(
        '{"task": "api", "answers": {"author_email": "nobody"}}', "invalid_input", "answers.author_email", id="email"
    ),
]


@pytest.mark.parametrize(("request_text", "code", "field"), BAD_REQUESTS)
def test_bad_request_is_a_json_error_naming_the_field_and_writes_nothing(
    request_text: str, code: str, field: str, scratch: Path
) -> None:
    dest = scratch / "kept"
    status, output = _main(request_text, "--dest", str(dest))

    assert status == 2
    Draft202012Validator(SPEC.error_schema).validate(output)
    assert (output["error"]["code"], output["error"]["field"]) == (code, field)
    assert field.rsplit(".", 1)[-1] in output["error"]["message"] or field == "$"
    assert "attempts" not in output["error"], "a bad request is never retried"
    assert list(scratch.iterdir()) == []


def test_bad_request_through_the_command_line_exits_2_with_a_json_error() -> None:
    status, output = _skill('{"task": "database", "framework": "Django"}')
    assert status == 2
    assert output["error"]["field"] == "framework"
    assert "fastapi or express" in output["error"]["message"]


def test_unreadable_request_file_is_reported_on_the_request(scratch: Path) -> None:
    status, output = _main("", str(scratch / "missing.json"))
    assert (status, output["error"]["code"], output["error"]["field"]) == (2, "invalid_input", "$")


def test_request_file_is_read_instead_of_stdin(scratch: Path) -> None:
    request = scratch.parent / "request.json"
    request.write_text('{"task": "api", "framework": "Ruby on Rails"}', encoding="utf-8")
    status, output = _main("", str(request))
    assert (status, output["error"]["field"]) == (2, "framework")


def test_destination_that_is_not_empty_is_refused_untouched(scratch: Path) -> None:
    kept = scratch / "kept"
    kept.mkdir()
    (kept / "mine.txt").write_text("user data", encoding="utf-8")
    status, output = _main('{"task": "api"}', "--dest", str(kept))
    assert (status, output["error"]["field"]) == (2, "--dest")
    assert [path.name for path in kept.iterdir()] == ["mine.txt"]


def test_unknown_template_revision_is_refused_before_rendering(scratch: Path) -> None:
    status, output = _main('{"task": "api"}', "--vcs-ref", "no-such-release", "--dest", str(scratch / "kept"))
    assert (status, output["error"]["field"]) == (2, "--vcs-ref")
    assert list(scratch.iterdir()) == []


def test_kept_project_rendered_at_a_revision_records_it_for_copier_update(tmp_path: Path) -> None:
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
    dest = tmp_path / "kept"
    status, output = _skill(
        '{"task": "api", "framework": "express"}', "--vcs-ref", head.stdout.strip(), "--dest", str(dest)
    )
    assert status == 0, output
    answers = (dest / ".copier-answers.yml").read_text(encoding="utf-8")
    commit = re.search(r"^_commit: (\S+)$", answers, re.MULTILINE)
    assert commit
    found = subprocess.run(["git", "rev-parse", "--verify", f"{commit.group(1)}^{{commit}}"], cwd=ROOT, check=False)
    assert found.returncode == 0, "copier update must find the recorded revision"


def test_unknown_option_is_a_json_error_too() -> None:
    status, output = _main('{"task": "api"}', "--frobnicate")
    assert (status, output["error"]["code"], output["error"]["field"]) == (2, "invalid_input", "argv")


def test_copier_refusing_an_answer_is_bad_input_not_a_retry(monkeypatch: pytest.MonkeyPatch, scratch: Path) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise ValueError("Validation error for question 'project_slug': project_slug is not valid.")

    monkeypatch.setattr(render, "run_copy", refuse)
    pauses: list[float] = []
    execute = partial(run_skill, steps=Steps(sleep=pauses.append))
    status, output = _main('{"task": "api", "framework": "express"}', execute=execute)
    assert (status, output["error"]["field"], pauses) == (2, "answers.project_slug", [])
    assert list(scratch.iterdir()) == []


# --- retries ---------------------------------------------------------------------------


def test_transient_failures_are_retried_with_exponential_backoff_and_jitter(scratch: Path) -> None:
    flaky = Flaky(OSError(28, "No space left on device"), subprocess.CalledProcessError(128, ["git", "clone"]))
    pauses: list[float] = []
    draws = iter([0.0, 0.9])
    steps = Steps(render=flaky, sleep=pauses.append, draw=lambda: next(draws))

    output = run_skill(Request(task="api", framework="express"), steps=steps)

    Draft202012Validator(SPEC.output_schema).validate(output)
    assert (output["attempts"], flaky.calls) == (3, 3)
    # 0.5 s then 1 s (doubled), each stretched by its jitter draw times 50 %
    assert pauses == pytest.approx([0.5, 1.0 * 1.45])
    assert list(scratch.iterdir()) == []


def test_three_transient_failures_end_with_a_failed_error_and_leave_nothing(scratch: Path) -> None:
    flaky = Flaky(OSError(5, "Input/output error"), forever=True)
    pauses: list[float] = []
    execute = partial(run_skill, steps=Steps(render=flaky, sleep=pauses.append))

    status, output = _main(
        '{"task": "cache", "framework": "fastapi"}', "--dest", str(scratch / "kept"), execute=execute
    )

    assert status == 1
    Draft202012Validator(SPEC.error_schema).validate(output)
    assert (output["error"]["code"], output["error"]["attempts"], flaky.calls) == ("failed", 3, 3)
    assert "Input/output error" in output["error"]["message"]
    assert len(pauses) == 2
    assert pauses[1] > pauses[0]
    assert list(scratch.iterdir()) == []


def test_a_failure_that_cannot_be_transient_is_not_retried(scratch: Path) -> None:
    flaky = Flaky(KeyError("package_name"), forever=True)
    pauses: list[float] = []
    execute = partial(run_skill, steps=Steps(render=flaky, sleep=pauses.append))

    status, output = _main('{"task": "api"}', execute=execute)

    assert (status, output["error"]["code"], output["error"]["attempts"]) == (1, "failed", 1)
    assert (flaky.calls, pauses) == (1, [])
    assert list(scratch.iterdir()) == []


# --- the budget --------------------------------------------------------------------------


def test_a_run_past_the_budget_ends_with_a_timeout_error_and_is_not_retried(scratch: Path) -> None:
    def slow_render(request: Request, workdir: Path, deadline: Deadline) -> Renders:
        time.sleep(3)
        return render_pair(request, workdir, deadline)

    pauses: list[float] = []
    execute = partial(run_skill, steps=Steps(render=slow_render, sleep=pauses.append), budget=0.2)

    status, output = _main('{"task": "api", "framework": "express"}', "--dest", str(scratch / "kept"), execute=execute)

    assert status == 124
    Draft202012Validator(SPEC.error_schema).validate(output)
    assert (output["error"]["code"], output["error"]["attempts"], pauses) == ("timeout", 1, [])
    assert "200 ms" in output["error"]["message"]
    assert list(scratch.iterdir()) == []


def test_a_subprocess_still_running_at_the_deadline_is_ended_with_its_children(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"

    def hanging_schema(request: Request, project: Path, deadline: Deadline, cleanups: ExitStack) -> Schema:
        del request, cleanups
        run(["sh", "-c", f"sleep 60 & echo $! > {pid_file}; wait"], cwd=project, deadline=deadline)
        raise AssertionError("the deadline should have ended the command")

    # The budget must outlast the render before the hanging step, even on a loaded machine.
    status, output = _main(
        '{"task": "api", "framework": "express"}',
        execute=partial(run_skill, steps=Steps(schema=hanging_schema), budget=8),
    )

    assert (status, output["error"]["code"]) == (124, "timeout")
    assert "sleep 60" in output["error"]["message"]
    child = Path(f"/proc/{pid_file.read_text(encoding='utf-8').strip()}/stat")
    for _ in range(50):  # the child is killed at once; an init that reaps slowly may keep a zombie
        if not child.exists() or child.read_text(encoding="utf-8").split()[2] == "Z":
            break
        time.sleep(0.1)
    else:
        pytest.fail("the command's background child outlived the deadline")


def test_a_pause_that_would_overrun_the_budget_ends_with_a_timeout(scratch: Path) -> None:
    flaky = Flaky(OSError(16, "Device or resource busy"), forever=True)
    pauses: list[float] = []
    execute = partial(run_skill, steps=Steps(render=flaky, sleep=pauses.append), budget=0.3)

    status, output = _main('{"task": "api"}', execute=execute)

    assert (status, output["error"]["code"], output["error"]["attempts"]) == (124, "timeout", 1)
    assert "Device or resource busy" in output["error"]["message"]
    assert (flaky.calls, pauses) == (1, [])
    assert list(scratch.iterdir()) == []


def test_prepare_builds_the_shared_installs(prepared: dict[str, Any]) -> None:
    venv, modules = Path(prepared["prepared"]["python"]), Path(prepared["prepared"]["node"])
    assert (venv / "bin" / "alembic").is_file()
    assert (modules / ".bin" / "node-pg-migrate").exists()
