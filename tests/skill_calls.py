"""How the skill tests run the runner: its command line, in-process, and a flaky render step."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import ROOT

from skill import cli
from skill.budget import Deadline
from skill.request import Request
from skill.runner import Renders, render_pair, run_skill
from skill.spec import load_spec

SPEC = load_spec()
HEADER = re.compile(r"^==> (.+) <==\n", re.MULTILINE)
SECRET_SETTINGS = re.compile(r"^(?:JWT_SECRET|POSTGRES_PASSWORD)=(.+)$", re.MULTILINE)


def skill_command(request: str, *args: str, env: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
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


def skill_main(request: str, *args: str, execute: Callable[..., dict[str, object]] = run_skill) -> tuple[int, Any]:
    """The command line in-process, so a test can replace a step of the run."""
    stdout = io.StringIO()
    status = cli.main(list(args), stdin=io.StringIO(request), stdout=stdout, execute=execute)
    return status, json.loads(stdout.getvalue())


def code_files(code: str) -> dict[str, str]:
    parts = HEADER.split(code)
    assert parts[0] == "", "code starts with a header line"
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def environment_without(*names: str, **values: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in names}
    return {**env, **values}


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
