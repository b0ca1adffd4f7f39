"""Running tests/contract/ against a live render: which files apply to it, and its settings."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from conftest import ROOT
from toolchains import run

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


def run_contract_suite(
    base_url: str, tasks: tuple[str, ...], styles: tuple[str, ...], project: Path, grpc_port: str | None = None
) -> str:
    """tests/contract/ in its own pytest process, against the live server."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    env["CONTRACT_BASE_URL"] = base_url
    env["CONTRACT_TASKS"] = ",".join(tasks)
    env["CONTRACT_STYLES"] = ",".join(styles)
    env["CONTRACT_CORS_ORIGIN"] = CORS_ORIGIN
    if grpc_port is not None:
        env["CONTRACT_GRPC_TARGET"] = f"127.0.0.1:{grpc_port}"
        env["CONTRACT_PROTO_ROOT"] = str(project / "proto")
    skip = ignored(tasks, styles)
    return run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *skip, "tests/contract"], cwd=ROOT, env=env
    )
