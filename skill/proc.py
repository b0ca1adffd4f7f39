"""Subprocesses under the budget, in an environment the render's settings cannot leak into."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from skill.budget import Deadline
from skill.errors import SkillTimeoutError

OUTPUT_TAIL_LINES = 20
# A settings line of .env.example, commented out or not: "# JWT_SECRET=..." -> JWT_SECRET.
_SETTING = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)


class StepFailed(subprocess.CalledProcessError):
    """A command exited non-zero; the message ends with the tail of its output."""

    def __str__(self) -> str:
        both = f"{self.stdout or ''}\n{self.stderr or ''}".strip()
        tail = "\n".join(both.splitlines()[-OUTPUT_TAIL_LINES:])
        return f"`{' '.join(map(str, self.cmd))}` exited {self.returncode}" + (f":\n{tail}" if tail else "")


def run(
    command: Sequence[str | Path],
    *,
    cwd: Path,
    deadline: Deadline,
    env: Mapping[str, str] | None = None,
) -> str:
    """Run ``command`` and return its stdout, or raise StepFailed / SkillTimeoutError.

    It runs in its own process group, so a timeout ends what it started too
    (npm's node children, alembic's driver).
    """
    doing = f"running {' '.join(map(str, command))}"
    timeout = deadline.remaining(doing)
    with subprocess.Popen(
        [str(part) for part in command],
        cwd=cwd,
        env=dict(env) if env is not None else None,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as process:
        try:
            output, errors = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _end_group(process)
            raise deadline.expired(doing) from None
        except SkillTimeoutError:  # the budget's alarm, in the main thread
            _end_group(process)
            raise deadline.expired(doing) from None
        except BaseException:
            _end_group(process)
            raise
    if process.returncode != 0:
        raise StepFailed(process.returncode, [str(part) for part in command], output, errors)
    return output


def _end_group(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def project_env(project: Path, **extra: str) -> dict[str, str]:
    """The caller's environment without the project's settings (its .env must decide), plus ``extra``."""
    example = project / ".env.example"
    settings = set(_SETTING.findall(example.read_text(encoding="utf-8"))) if example.is_file() else set()
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in settings and name != "VIRTUAL_ENV" and not name.startswith("PYTHON")
    }
    # The kept project (--dest) must be what Copier rendered, without bytecode caches.
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra)
    return env
