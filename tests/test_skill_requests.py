"""The skill runner refuses a bad request, file, destination or option, naming it and writing nothing."""

from __future__ import annotations

import subprocess
from functools import partial
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from jsonschema import Draft202012Validator
from skill_calls import SPEC, skill_command, skill_main

from skill import render
from skill.runner import Steps, run_skill

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
    pytest.param(
        '{"task": "database", "answers": {"database": "mysql"}}', "invalid_input", "answers.database", id="engine"
    ),
]


@pytest.mark.parametrize(("request_text", "code", "field"), BAD_REQUESTS)
def test_bad_request_is_a_json_error_naming_the_field_and_writes_nothing(
    request_text: str, code: str, field: str, scratch: Path
) -> None:
    dest = scratch / "kept"
    status, output = skill_main(request_text, "--dest", str(dest))

    assert status == 2
    Draft202012Validator(SPEC.error_schema).validate(output)
    assert (output["error"]["code"], output["error"]["field"]) == (code, field)
    assert field.rsplit(".", 1)[-1] in output["error"]["message"] or field == "$"
    assert "attempts" not in output["error"], "a bad request is never retried"
    assert list(scratch.iterdir()) == []


def test_bad_request_through_the_command_line_exits_2_with_a_json_error() -> None:
    status, output = skill_command('{"task": "database", "framework": "Django"}')
    assert status == 2
    assert output["error"]["field"] == "framework"
    assert "fastapi or express" in output["error"]["message"]


def test_unreadable_request_file_is_reported_on_the_request(scratch: Path) -> None:
    status, output = skill_main("", str(scratch / "missing.json"))
    assert (status, output["error"]["code"], output["error"]["field"]) == (2, "invalid_input", "$")


def test_request_file_is_read_instead_of_stdin(scratch: Path) -> None:
    request = scratch.parent / "request.json"
    request.write_text('{"task": "api", "framework": "Ruby on Rails"}', encoding="utf-8")
    status, output = skill_main("", str(request))
    assert (status, output["error"]["field"]) == (2, "framework")


def test_destination_that_is_not_empty_is_refused_untouched(scratch: Path) -> None:
    kept = scratch / "kept"
    kept.mkdir()
    (kept / "mine.txt").write_text("user data", encoding="utf-8")
    status, output = skill_main('{"task": "api"}', "--dest", str(kept))
    assert (status, output["error"]["field"]) == (2, "--dest")
    assert [path.name for path in kept.iterdir()] == ["mine.txt"]


def test_unknown_template_revision_is_refused_before_rendering(scratch: Path) -> None:
    status, output = skill_main('{"task": "api"}', "--vcs-ref", "no-such-release", "--dest", str(scratch / "kept"))
    assert (status, output["error"]["field"]) == (2, "--vcs-ref")
    assert list(scratch.iterdir()) == []


def test_kept_project_rendered_at_a_revision_records_it_for_copier_update(tmp_path: Path) -> None:
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
    dest = tmp_path / "kept"
    status, output = skill_command(
        '{"task": "api", "framework": "express"}', "--vcs-ref", head.stdout.strip(), "--dest", str(dest)
    )
    assert status == 0, output
    # Read as YAML: a short hash of digits alone (1501713) is written quoted.
    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text(encoding="utf-8"))
    commit = str(answers["_commit"])
    assert commit
    found = subprocess.run(["git", "rev-parse", "--verify", f"{commit}^{{commit}}"], cwd=ROOT, check=False)
    assert found.returncode == 0, "copier update must find the recorded revision"


def test_unknown_option_is_a_json_error_too() -> None:
    status, output = skill_main('{"task": "api"}', "--frobnicate")
    assert (status, output["error"]["code"], output["error"]["field"]) == (2, "invalid_input", "argv")


def test_copier_refusing_an_answer_is_bad_input_not_a_retry(monkeypatch: pytest.MonkeyPatch, scratch: Path) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise ValueError("Validation error for question 'project_slug': project_slug is not valid.")

    monkeypatch.setattr(render, "run_copy", refuse)
    pauses: list[float] = []
    execute = partial(run_skill, steps=Steps(sleep=pauses.append))
    status, output = skill_main('{"task": "api", "framework": "express"}', execute=execute)
    assert (status, output["error"]["field"], pauses) == (2, "answers.project_slug", [])
    assert list(scratch.iterdir()) == []
