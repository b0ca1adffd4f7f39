"""A real OpenID Connect provider for the tests (tests/oidc/provider.mjs), and a user at its forms.

``running_provider`` installs the pinned oidc-provider once into .cache/ (keyed on
tests/oidc/package.json), starts it on a free loopback port with the given clients and
stops it afterwards. ``OidcProvider.sign_in`` plays the user's browser: it follows an
authorization request through the provider's login and consent forms and returns where the
provider sends the browser back (the relying party's callback, with ``code`` and ``state``).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import httpx
from conftest import ROOT
from toolchains import run

from scripts.node import node_bin
from scripts.services import free_port

HARNESS = ROOT / "tests" / "oidc"
START_TIMEOUT_SECONDS = 30
_FORM_ACTION = re.compile(r'<form[^>]*action="([^"]+)"')
_FORM_PROMPT = re.compile(r'name="prompt" value="([^"]+)"')


@dataclass(frozen=True)
class Client:
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]


@dataclass(frozen=True)
class OidcProvider:
    issuer: str

    def add_account(self, sub: str, email: str, *, email_verified: bool, name: str = "Ada") -> None:
        """An account that may sign in at the login form by its ``sub``."""
        claims = {"sub": sub, "email": email, "email_verified": email_verified, "name": name}
        response = httpx.post(f"{self.issuer}/test/accounts", json=claims, timeout=10)
        assert response.status_code == 204, response.text

    def spoil_next_token(self, kind: str) -> None:
        """The next token exchange's ID token comes back spoiled (tests/oidc/provider.mjs lists how)."""
        response = httpx.post(f"{self.issuer}/test/mischief", json={"kind": kind}, timeout=10)
        assert response.status_code == 204, response.text

    def sign_in(self, browser: httpx.Client, authorize_url: str, sub: str) -> str:
        """Follow ``authorize_url`` through login (as ``sub``) and consent; the URL the provider
        redirects to outside itself."""
        response = browser.get(authorize_url)
        for _ in range(10):
            if response.status_code == 200:  # a form of the provider: log in, or consent
                action = _FORM_ACTION.search(response.text)
                prompt = _FORM_PROMPT.search(response.text)
                assert action, f"no interaction form in the provider's page:\n{response.text[:2000]}"
                assert prompt, f"no prompt in the provider's form:\n{response.text[:2000]}"
                form = {"prompt": prompt[1]} | ({"login": sub, "password": "unused"} if prompt[1] == "login" else {})
                response = browser.post(urljoin(str(response.url), action[1]), data=form)
                continue
            assert response.status_code in {302, 303}, f"{response.status_code}: {response.text[:2000]}"
            location = urljoin(str(response.url), response.headers["location"])
            if not location.startswith(self.issuer + "/"):
                return location
            response = browser.get(location)
        msg = "the provider never redirected back"
        raise AssertionError(msg)


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
