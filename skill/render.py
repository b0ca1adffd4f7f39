"""Render the template with Copier, and find the files a task contributes.

A task contributes the files that differ from, or are missing in, a render of
the same answers without it; for ``api``, which every render needs, that is the
whole render.
"""

from __future__ import annotations

import os
import re
import sys
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml
from copier import run_copy
from copier.errors import DirtyLocalWarning

from skill import ROOT
from skill.errors import InvalidInputError

ANSWERS_FILE = ".copier-answers.yml"
MANIFEST = "best_practices.json"
# Rendered but never part of ``code``, with the reason the output gives.
EXCLUDED = {
    ".env": "holds the project's generated secrets; never printed (kept with --dest)",
    ANSWERS_FILE: "Copier's record of the answers, read by copier update; not code",
    MANIFEST: "given as best_practices",
}
_COPIER_VALIDATION = re.compile(r"Validation error for question '(\w+)': (.*)", re.DOTALL)


@dataclass(frozen=True)
class Contribution:
    files: list[str]  # added or changed by the task, in path order
    removed: list[str]  # present without the task, gone with it
    excluded: list[dict[str, str]]  # rendered, left out of ``code`` on purpose


def render(destination: Path, data: Mapping[str, object], *, vcs_ref: str = "HEAD", run_tasks: bool = True) -> Path:
    """Render this repository at ``vcs_ref`` with Copier's ``data`` (answers, framework and tasks).

    HEAD renders the working tree, uncommitted edits included.
    """
    try:
        with warnings.catch_warnings(), _stdout_to_stderr():
            warnings.simplefilter("ignore", DirtyLocalWarning)
            run_copy(
                str(ROOT),
                str(destination),
                data=dict(data),
                defaults=True,
                unsafe=True,  # the template's own extensions and manifest hook
                quiet=True,
                vcs_ref=vcs_ref,
                skip_tasks=not run_tasks,
            )
    except ValueError as error:
        # Copier's validators are the template's: an answer the request checks missed.
        if match := _COPIER_VALIDATION.match(str(error)):
            question, message = match.groups()
            field = question if question in {"framework", "tasks"} else f"answers.{question}"
            raise InvalidInputError(message, field=field) from None
        raise
    return destination


@contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Stdout carries the one JSON answer: whatever Copier's tasks print goes to stderr."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def package_name(project: Path) -> str:
    answers = yaml.safe_load((project / ANSWERS_FILE).read_text(encoding="utf-8"))
    return str(answers["package_name"])


def _files(root: Path) -> dict[str, Path]:
    return {path.relative_to(root).as_posix(): path for path in sorted(root.rglob("*")) if path.is_file()}


def contribution(project: Path, baseline: Path | None) -> Contribution:
    mine = _files(project)
    before = _files(baseline) if baseline is not None else {}
    excluded = [{"path": path, "reason": reason} for path, reason in EXCLUDED.items() if path in mine]
    files = [
        path
        for path, file in mine.items()
        if path not in EXCLUDED and (path not in before or before[path].read_bytes() != file.read_bytes())
    ]
    removed = [path for path in before if path not in mine and path not in EXCLUDED]
    return Contribution(files=files, removed=removed, excluded=excluded)


def code_text(project: Path, files: Sequence[str]) -> str:
    """Each file preceded by a header line naming its path, ``==> path <==``; each file ends with a newline."""
    parts = []
    for path in files:
        content = (project / path).read_bytes()
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            text = f"(binary file, {len(content)} bytes)\n"
        parts.append(f"==> {path} <==\n{text}" + ("" if text.endswith("\n") or not text else "\n"))
    return "".join(parts)
