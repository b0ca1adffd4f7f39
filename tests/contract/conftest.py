"""The framework-agnostic HTTP contract (DESIGN.md §3), run against a live server.

CONTRACT_BASE_URL names the server (for example http://127.0.0.1:8000),
CONTRACT_TASKS its tasks (for example api,database,cache), CONTRACT_STYLES its API
styles (for example rest,graphql; rest when unset), CONTRACT_CORS_ORIGIN
the one origin its CORS_ORIGINS allows, CONTRACT_AUTH_METHODS its sign-in methods
(jwt when unset) and, with grpc, CONTRACT_GRPC_TARGET its gRPC address and
CONTRACT_PROTO_ROOT the render's proto/ folder. The template's generated-project tests boot
each render and run this suite against it; run it by hand against a server started
with CORS_ORIGINS=https://app.example:

    CONTRACT_BASE_URL=http://127.0.0.1:8000 CONTRACT_TASKS=api,database,auth,cache,optimize \
    CONTRACT_CORS_ORIGIN=https://app.example \
        .venv/bin/pytest tests/contract
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import grpc
import httpx
import pytest

from contract.graphql import Caller
from contract.grpc import GrpcCaller, Stubs, compile_stubs, target


@pytest.fixture(scope="session")
def base_url() -> str:
    url = os.environ.get("CONTRACT_BASE_URL")
    if not url:
        pytest.fail("CONTRACT_BASE_URL is not set: point it at a running generated service.")
    return url


@pytest.fixture(scope="session")
def tasks() -> frozenset[str]:
    """The tasks the server was rendered with: what a test may expect of it."""
    value = os.environ.get("CONTRACT_TASKS")
    if not value:
        pytest.fail("CONTRACT_TASKS is not set: name the service's tasks, for example api,database,cache.")
    return frozenset(task.strip() for task in value.split(",") if task.strip())


@pytest.fixture(scope="session")
def styles() -> frozenset[str]:
    """The API styles the server was rendered with (CONTRACT_STYLES, default rest)."""
    value = os.environ.get("CONTRACT_STYLES", "rest")
    return frozenset(style.strip() for style in value.split(",") if style.strip())


@pytest.fixture(scope="session")
def auth_methods() -> frozenset[str]:
    """How the server's users sign in, with auth (CONTRACT_AUTH_METHODS, default jwt)."""
    value = os.environ.get("CONTRACT_AUTH_METHODS", "jwt")
    return frozenset(method.strip() for method in value.split(",") if method.strip())


@pytest.fixture(scope="session")
def cors_origin() -> str:
    origin = os.environ.get("CONTRACT_CORS_ORIGIN")
    if not origin:
        pytest.fail("CONTRACT_CORS_ORIGIN is not set: name the origin the server's CORS_ORIGINS allows.")
    return origin


@pytest.fixture
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=10) as session:
        yield session


@pytest.fixture
def caller(client: httpx.Client, tasks: frozenset[str]) -> Caller:
    """Who sends a GraphQL test's requests: a new signed-in account with auth, anyone without."""
    return Caller(client, tasks)


@pytest.fixture(scope="session")
def grpc_stubs(tmp_path_factory: pytest.TempPathFactory) -> Stubs:
    """The server's .proto compiled for this run (CONTRACT_PROTO_ROOT)."""
    return compile_stubs(tmp_path_factory.mktemp("stubs"))


@pytest.fixture(scope="session")
def grpc_channel() -> Iterator[grpc.Channel]:
    """One channel to the server's gRPC port (CONTRACT_GRPC_TARGET) for the whole run."""
    with grpc.insecure_channel(target()) as channel:
        yield channel


@pytest.fixture
def grpc_caller(
    grpc_channel: grpc.Channel, grpc_stubs: Stubs, client: httpx.Client, tasks: frozenset[str]
) -> GrpcCaller:
    """Who makes a gRPC test's calls: a new signed-in account with auth, anyone without."""
    return GrpcCaller(grpc_channel, grpc_stubs, client, tasks)
