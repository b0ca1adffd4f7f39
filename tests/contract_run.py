"""Running tests/contract/ against a live render: its settings, the files that apply to it, the run.

``contract_run`` gives a render's ports and server settings (with ``oauth``, it starts the
OpenID provider the render signs in with, registered for its callback); the render is then
served with ``server_settings`` and ``run_contract_suite`` checks it.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from conftest import ROOT
from contract.graphql import SERVER_SETTINGS as GRAPHQL_SETTINGS
from contract.websocket import SERVER_SETTINGS as WEBSOCKET_SETTINGS
from oidc_provider import Client, running_provider
from toolchains import run

from scripts.services import free_port

# The users and posts files cover the contract without auth, test_auth.py the contract
# with it (tests/contract/README.md); both trees serve both.
USERS_AND_POSTS = ["--ignore=tests/contract/test_users.py", "--ignore=tests/contract/test_posts.py"]
AUTH = ["--ignore=tests/contract/test_auth.py"]
GRAPHQL = ["--ignore=tests/contract/test_graphql.py", "--ignore=tests/contract/test_graphql_requests.py"]
WEBSOCKET = ["--ignore=tests/contract/test_websocket.py"]
SUBSCRIPTIONS = ["--ignore=tests/contract/test_graphql_subscriptions.py"]
GRPC = ["--ignore=tests/contract/test_grpc.py"]
GRPC_AUTH = ["--ignore=tests/contract/test_grpc_auth.py"]
GRPC_WATCH = ["--ignore=tests/contract/test_grpc_watch.py"]
OAUTH = ["--ignore=tests/contract/test_oauth.py"]

# The one origin the booted servers allow (CORS_ORIGINS); the contract checks what it may read.
CORS_ORIGIN = "https://contract.example"
# With oauth: the one front-end URL the servers may send a browser back to, and their provider.
OAUTH_REDIRECT = "https://contract.example/signed-in"
OIDC_PROVIDER = "test"


def ignored(tasks: tuple[str, ...], styles: tuple[str, ...], auth_methods: tuple[str, ...] = ("jwt",)) -> list[str]:
    """The contract files that do not apply to a render of these tasks, styles and sign-in methods."""
    skip = USERS_AND_POSTS if "auth" in tasks else AUTH
    if "graphql" not in styles:
        skip = [*skip, *GRAPHQL]
    if "websocket" not in styles:
        skip = [*skip, *WEBSOCKET]
    if not {"graphql", "websocket"} <= set(styles):
        skip = [*skip, *SUBSCRIPTIONS]
    if "grpc" not in styles:
        skip = [*skip, *GRPC]
    if not ("grpc" in styles and "auth" in tasks):
        skip = [*skip, *GRPC_AUTH]
    if not {"grpc", "websocket"} <= set(styles):
        skip = [*skip, *GRPC_WATCH]
    if not ("auth" in tasks and "oauth" in auth_methods):
        skip = [*skip, *OAUTH]
    return skip


@dataclass(frozen=True)
class ContractRun:
    """One live render under the contract suite: what it was rendered with, where it listens."""

    tasks: tuple[str, ...]
    styles: tuple[str, ...]
    auth_methods: tuple[str, ...]
    port: int
    grpc_port: int | None = None
    oidc_issuer: str | None = None
    oidc_client: Client | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def server_settings(self) -> dict[str, str]:
        """The environment the render is served with for the suite."""
        settings = {
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            # The suite and schemathesis send hundreds of requests from one client: they check
            # the contract, not the rate limit (the projects' own tests do), so lift the limit.
            "RATE_LIMIT_PER_MINUTE": "1000000",
            "CORS_ORIGINS": CORS_ORIGIN,
            # Hundreds of sign-ups and sign-ins: at OWASP's Argon2id minimum each costs a sixth
            # of the CPU of the default profile, which the projects' own tests check.
            **({"ARGON2_PROFILE": "owasp"} if "auth" in self.tasks else {}),
            # The GraphQL limits the suite tests at and over.
            **(GRAPHQL_SETTINGS if "graphql" in self.styles else {}),
            **(WEBSOCKET_SETTINGS if "websocket" in self.styles else {}),
        }
        if self.grpc_port is not None:
            settings["GRPC_PORT"] = str(self.grpc_port)
        if self.oidc_issuer is not None and self.oidc_client is not None:
            name = OIDC_PROVIDER.upper()
            settings |= {
                "OIDC_PROVIDERS": OIDC_PROVIDER,
                f"OIDC_{name}_ISSUER": self.oidc_issuer,
                f"OIDC_{name}_CLIENT_ID": self.oidc_client.client_id,
                f"OIDC_{name}_CLIENT_SECRET": self.oidc_client.client_secret,
                # The test provider is plain http on loopback; a real one never is.
                "OIDC_ALLOW_HTTP_ISSUER": "true",
                "OAUTH_REDIRECT_ALLOWLIST": OAUTH_REDIRECT,
                "PUBLIC_BASE_URL": self.base_url,
            }
        return settings


@contextmanager
def contract_run(
    tasks: tuple[str, ...], styles: tuple[str, ...], auth_methods: tuple[str, ...], log_dir: Path
) -> Iterator[ContractRun]:
    """Ports for the render and, with oauth, its provider running for the whole run."""
    port = free_port()
    grpc_port = free_port() if "grpc" in styles else None
    if not ("auth" in tasks and "oauth" in auth_methods):
        yield ContractRun(tasks, styles, auth_methods, port, grpc_port)
        return
    callback = f"http://127.0.0.1:{port}/api/v1/auth/oauth/{OIDC_PROVIDER}/callback"
    client = Client("contract-service", secrets.token_urlsafe(32), (callback,))
    with running_provider([client], log_dir / "oidc-provider.log") as provider:
        yield ContractRun(tasks, styles, auth_methods, port, grpc_port, provider.issuer, client)


def run_contract_suite(contract: ContractRun, project: Path) -> str:
    """tests/contract/ in its own pytest process, against the live server."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    env["CONTRACT_BASE_URL"] = contract.base_url
    env["CONTRACT_TASKS"] = ",".join(contract.tasks)
    env["CONTRACT_STYLES"] = ",".join(contract.styles)
    env["CONTRACT_CORS_ORIGIN"] = CORS_ORIGIN
    env["CONTRACT_AUTH_METHODS"] = ",".join(contract.auth_methods)
    if contract.grpc_port is not None:
        env["CONTRACT_GRPC_TARGET"] = f"127.0.0.1:{contract.grpc_port}"
        env["CONTRACT_PROTO_ROOT"] = str(project / "proto")
    if contract.oidc_issuer is not None:
        env["CONTRACT_OIDC_ISSUER"] = contract.oidc_issuer
        env["CONTRACT_OAUTH_REDIRECT"] = OAUTH_REDIRECT
    skip = ignored(contract.tasks, contract.styles, contract.auth_methods)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *skip, "tests/contract"]
    return run(command, cwd=ROOT, env=env)
