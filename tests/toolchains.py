"""The shared installs (built by skill/toolchains.py) and the tests' way to run a command.

One Python venv and one node_modules per version of the framework's dependency
file serve every render, so the matrix does not install per render.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from skill.toolchains import generate_stubs, node_modules, python_venv, uv

__all__ = ["UV", "generate_stubs", "node_modules", "python_venv", "run"]

UV = str(uv())


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 600) -> str:
    """Run a command; on failure, fail with its whole output (what a user would need to see)."""
    completed = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=timeout)
    output = completed.stdout + completed.stderr
    if completed.returncode != 0:
        raise AssertionError(f"{' '.join(command)} exited {completed.returncode} in {cwd}:\n{output}")
    return output
