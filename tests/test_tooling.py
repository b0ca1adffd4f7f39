"""The template's own Python (extensions, hooks, scripts, tests) meets its gates."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import ROOT
from toolchains import run

BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    "command",
    [["ruff", "check", "--no-cache", "."], ["ruff", "format", "--check", "--no-cache", "."], ["mypy"]],
    ids=["ruff-check", "ruff-format", "mypy-strict"],
)
def test_template_tooling_passes_its_quality_gate(command: list[str]) -> None:
    run([str(BIN / command[0]), *command[1:]], cwd=ROOT)
