"""A real OpenID Connect provider for the tests (tests/oidc/provider.mjs), started and stopped.

``running_provider`` installs the pinned oidc-provider once into .cache/ (keyed on
tests/oidc/package.json), starts it on a free loopback port with the given clients and
stops it afterwards; it yields the provider as its clients see it (``contract/oidc.py``:
accounts, mischief, the user's browser at its forms).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from conftest import ROOT
from contract.oidc import OidcProvider
from toolchains import run

from scripts.node import node_bin
from scripts.services import free_port

HARNESS = ROOT / "tests" / "oidc"
START_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Client:
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]


def _installed() -> Path:
    """node_modules of tests/oidc/package.json, installed once per version of that file."""
    manifest = (HARNESS / "package.json").read_bytes()
    home = ROOT / ".cache" / "oidc-provider" / hashlib.sha256(manifest).hexdigest()[:12]
    home.mkdir(parents=True, exist_ok=True)
    with (home.parent / f"{home.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # parallel test workers wait for one install
        try:
            if not (home / "ready").exists():
                shutil.copyfile(HARNESS / "package.json", home / "package.json")
                run(["npm", "install", "--no-audit", "--no-fund", "--prefer-offline"], cwd=home, env=_node_env())
                (home / "ready").touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return home


def _node_env() -> dict[str, str]:
    return {**os.environ, "PATH": f"{node_bin(ROOT)}{os.pathsep}{os.environ['PATH']}"}


@contextmanager
def running_provider(clients: list[Client], log: Path) -> Iterator[OidcProvider]:
    home = _installed()
    # Beside its node_modules, so that `oidc-provider` resolves from there.
    script = home / "provider.mjs"
    shutil.copyfile(HARNESS / "provider.mjs", script)
    port = free_port()
    provider = OidcProvider(f"http://127.0.0.1:{port}")
    described = json.dumps(
        [
            {"client_id": c.client_id, "client_secret": c.client_secret, "redirect_uris": list(c.redirect_uris)}
            for c in clients
        ]
    )
    with (
        log.open("wb") as output,
        subprocess.Popen(
            ["node", str(script), str(port), described], cwd=home, env=_node_env(), stdout=output, stderr=output
        ) as process,
    ):
        try:
            _wait_for_discovery(provider, process, log)
            yield provider
        finally:
            process.terminate()
            process.wait(timeout=10)


def _wait_for_discovery(provider: OidcProvider, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while True:
        try:
            if httpx.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass  # not listening yet
        if process.poll() is not None or time.monotonic() > deadline:
            msg = f"the OpenID provider did not start:\n{log.read_text(errors='replace')}"
            raise AssertionError(msg)
        time.sleep(0.1)
