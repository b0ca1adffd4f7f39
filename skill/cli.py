"""Command line: one JSON request in (stdin or a file), one JSON object out on stdout.

Exit status: 0 with the output object; 2 for a bad request (invalid_json,
invalid_input); 1 when the run failed (failed); 124 when the budget ran out
(timeout). Errors are ``{"error": {...}}`` objects, never tracebacks on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import NoReturn, TextIO

from skill import ROOT
from skill.budget import Deadline
from skill.errors import ROOT_FIELD, InvalidInputError, SkillError, SkillFailedError
from skill.request import Request, parse_request
from skill.runner import Output, run_skill
from skill.spec import load_spec
from skill.toolchains import node_modules, python_venv

Execute = Callable[..., Output]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise InvalidInputError(f"{message}; see python -m skill --help", field="argv")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m skill",
        description="Render this Copier template for one backend task and print {code, schema, best_practices}.",
        epilog='Example: echo \'{"task": "auth", "framework": "Express.js"}\' | python -m skill --dest ./my-service',
    )
    parser.add_argument("request", nargs="?", default="-", help="JSON request file (default: - for stdin)")
    parser.add_argument("--dest", type=Path, help="also keep the whole rendered project in DIR (new or empty)")
    parser.add_argument(
        "--vcs-ref",
        default="HEAD",
        help="template revision to render, e.g. a release tag (default: HEAD, this checkout as it is)",
    )
    parser.add_argument(
        "--prepare",
        action="store_true",
        help="build the shared installs (a venv, node_modules) outside the budget, then exit",
    )
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    execute: Execute = run_skill,
) -> int:
    stdout = stdout or sys.stdout
    try:
        args = _parser().parse_args(argv)
        if args.prepare:
            result: dict[str, object] = {"prepared": _prepare()}
        else:
            request = replace(_read(args.request, stdin or sys.stdin), vcs_ref=_check_ref(args.vcs_ref))
            dest = _check_dest(args.dest)
            result = execute(request, dest=dest)
    except SkillError as error:
        _write(error.to_json(), stdout)
        return error.exit_status
    _write(result, stdout)
    return 0


def _read(source: str, stdin: TextIO) -> Request:
    if source == "-":
        raw = stdin.read()
    else:
        try:
            raw = Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise InvalidInputError(f"cannot read the request file {source}: {error}", field=ROOT_FIELD) from None
    return parse_request(raw, load_spec())


def _check_ref(ref: str) -> str:
    if ref == "HEAD" or not (ROOT / ".git").exists():
        return ref
    found = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    if found.returncode != 0:
        raise InvalidInputError(
            f"--vcs-ref {ref!r} is no revision of the template (try a release tag)", field="--vcs-ref"
        )
    return ref


def _check_dest(dest: Path | None) -> Path | None:
    """Refuse a destination that holds anything, before a single file is written."""
    if dest is None:
        return None
    dest = dest.expanduser().absolute()
    if dest.exists() and not (dest.is_dir() and not any(dest.iterdir())):
        raise InvalidInputError(f"--dest {dest} exists and is not an empty directory; choose a new one", field="--dest")
    existing = next(folder for folder in dest.parents if folder.exists())
    if not dest.exists() and not (existing.is_dir() and os.access(existing, os.W_OK | os.X_OK)):
        raise InvalidInputError(f"--dest {dest} cannot be created: {existing} is not writable", field="--dest")
    return dest


def _prepare() -> dict[str, str]:
    unlimited = Deadline(None)
    try:
        return {"python": str(python_venv(unlimited)), "node": str(node_modules(unlimited))}
    except (OSError, subprocess.SubprocessError, RuntimeError) as error:
        failure = SkillFailedError(f"could not build the shared installs: {type(error).__name__}: {error}")
        failure.attempts = 1
        raise failure from error


def _write(document: object, stdout: TextIO) -> None:
    stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    stdout.flush()
