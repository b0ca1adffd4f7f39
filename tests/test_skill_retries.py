"""The skill runner's retry policy and its budget: what is retried, how long, and what is left behind."""

from __future__ import annotations

import subprocess
import time
from contextlib import ExitStack
from functools import partial
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from skill_calls import SPEC, Flaky, skill_main

from skill.budget import Deadline
from skill.proc import run
from skill.request import Request
from skill.runner import Renders, Steps, render_pair, run_skill
from skill.schema import Schema

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

    status, output = skill_main(
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

    status, output = skill_main('{"task": "api"}', execute=execute)

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

    status, output = skill_main(
        '{"task": "api", "framework": "express"}', "--dest", str(scratch / "kept"), execute=execute
    )

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
    status, output = skill_main(
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

    status, output = skill_main('{"task": "api"}', execute=execute)

    assert (status, output["error"]["code"], output["error"]["attempts"]) == (124, "timeout", 1)
    assert "Device or resource busy" in output["error"]["message"]
    assert (flaky.calls, pauses) == (1, [])
    assert list(scratch.iterdir()) == []
