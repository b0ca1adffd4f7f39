"""One skill run: render, collect code, schema and practices, within the budget, with retries.

Each attempt works in its own temporary directory, removed afterwards; with
``dest`` the rendered project is moved there at the very end, in one rename.
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from jsonschema import Draft202012Validator

from skill.budget import Deadline
from skill.ddl import database_schema
from skill.errors import SkillFailedError
from skill.mongo_schema import mongodb_schema
from skill.render import MANIFEST, code_text, contribution, package_name, render
from skill.request import Request
from skill.retry import with_retries
from skill.schema import Schema, openapi_schema
from skill.spec import Spec, load_spec

Output = dict[str, object]


@dataclass(frozen=True)
class Renders:
    project: Path
    baseline: Path | None  # the same answers without the task; None for api


def render_pair(request: Request, workdir: Path, deadline: Deadline) -> Renders:
    data = {**request.answers, "framework": request.framework}
    project = render(workdir / "project", {**data, "tasks": list(request.tasks)}, vcs_ref=request.vcs_ref)
    if request.baseline is None:
        return Renders(project, None)
    deadline.check("rendering")
    # The manifest is not compared, so the baseline skips the hook that writes it.
    baseline_data = {**data, "tasks": list(request.baseline)}
    baseline = render(workdir / "baseline", baseline_data, vcs_ref=request.vcs_ref, run_tasks=False)
    return Renders(project, baseline)


def schema_of(request: Request, project: Path, deadline: Deadline, cleanups: ExitStack) -> Schema:
    if "database" in request.tasks and request.answers.get("database") == "mongodb":
        return mongodb_schema(project, request.framework, package_name(project), deadline, cleanups)
    if "database" in request.tasks:
        return database_schema(project, request.framework, deadline, cleanups)
    return openapi_schema(project, request.framework, package_name(project), deadline)


@dataclass(frozen=True)
class Steps:
    """The replaceable parts of a run; tests swap one to inject a failure or a delay."""

    render: Callable[[Request, Path, Deadline], Renders] = render_pair
    schema: Callable[[Request, Path, Deadline, ExitStack], Schema] = schema_of
    sleep: Callable[[float], None] = time.sleep  # the pause between attempts
    draw: Callable[[], float] = random.random  # the jitter of that pause, in [0, 1)


@dataclass(frozen=True)
class _Run:
    request: Request
    dest: Path | None
    deadline: Deadline
    steps: Steps


def run_skill(
    request: Request,
    *,
    dest: Path | None = None,
    spec: Spec | None = None,
    steps: Steps | None = None,
    budget: float | None = None,
) -> Output:
    """The output object of SKILL.md; ``budget`` (seconds) overrides timeout_ms."""
    spec = spec or load_spec()
    steps = steps or Steps()
    deadline = Deadline(spec.timeout if budget is None else budget)
    run = _Run(request, dest, deadline, steps)
    output, attempts = with_retries(lambda: _attempt(run), spec.retry, deadline, sleep=steps.sleep, draw=steps.draw)
    output["attempts"] = attempts
    problems = [error.message for error in Draft202012Validator(spec.output_schema).iter_errors(output)]
    if problems:
        raise SkillFailedError(f"the output does not match output_schema (a bug in the runner): {problems[0]}")
    return output


def _attempt(run: _Run) -> Output:
    workdir = Path(tempfile.mkdtemp(prefix="copier-backend-skill-"))
    try:
        # Cleanups (a throwaway database, a staging copy) run after the alarm is off.
        with ExitStack() as cleanups, run.deadline.interrupts("running the skill"):
            return _produce(run, workdir, cleanups)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _produce(run: _Run, workdir: Path, cleanups: ExitStack) -> Output:
    request, deadline = run.request, run.deadline
    renders = run.steps.render(request, workdir, deadline)
    deadline.check("rendering")
    project = renders.project
    contributed = contribution(project, renders.baseline)
    schema = run.steps.schema(request, project, deadline, cleanups)
    deadline.check("reading the schema")
    output: Output = {
        "code": code_text(project, contributed.files),
        "schema": schema.text,
        "best_practices": json.loads((project / MANIFEST).read_text(encoding="utf-8")),
        "task": request.task,
        "framework": request.framework,
        "tasks": list(request.tasks),
        "files": contributed.files,
        "removed": contributed.removed,
        "excluded": contributed.excluded,
        "schema_source": schema.source,
        "schema_note": schema.note,
    }
    if not contributed.files:
        output["code_note"] = (
            f"this release renders no file of its own for {request.task}: a render with tasks "
            f"{list(request.tasks)} equals one with {list(request.baseline or ())}, apart from the excluded files"
        )
    if run.dest is not None:
        _keep(project, run.dest, cleanups)
        output["project_dir"] = str(run.dest)
    return output


def _keep(project: Path, dest: Path, cleanups: ExitStack) -> None:
    """Move the render to ``dest`` in one rename, so a failed run leaves no half project there."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}-", dir=dest.parent))
    cleanups.callback(shutil.rmtree, staging, ignore_errors=True)
    shutil.copytree(project, staging / "project", symlinks=True)
    if dest.is_dir():
        dest.rmdir()  # checked to be empty before the run started
    (staging / "project").rename(dest)
