from collections.abc import AsyncIterator, Awaitable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from tests.callers import Author, NewAuthor, Staff, new_author, new_staff
from tests.helpers import (
    REQUIRED_SERVERS,
    VALID_ENVIRONMENT,
    LogCapture,
    TestServers,
    before_tests,
    capture_logs,
    make_app,
    prepare_storage,
    reset_storage,
    running,
)


def pytest_sessionstart() -> None:
    missing = TestServers().missing()
    if missing:
        needed = "\n".join(f"  {name}: {REQUIRED_SERVERS[name]}" for name in missing)
        msg = f"These tests run against real servers; set in the environment (or .env):\n{needed}"
        raise pytest.UsageError(msg)
    before_tests()


# Every variable any render might read, so the developer's shell cannot leak into a test.
SETTINGS_VARIABLES = (
    "HOST",
    "PORT",
    "LOG_LEVEL",
    "DOCS_ENABLED",
    "CORS_ORIGINS",
    "REQUEST_TIMEOUT_SECONDS",
    "MAX_CONCURRENT_REQUESTS",
    "SHUTDOWN_TIMEOUT_SECONDS",
    "HSTS_ENABLED",
    "DATABASE_URL",
    "DB_POOL_SIZE",
    "DB_POOL_TIMEOUT_SECONDS",
    "REDIS_URL",
    "REDIS_POOL_SIZE",
    "JWT_SECRET",
    "JWT_ALGORITHM",
    "JWT_ISSUER",
    "JWT_AUDIENCE",
    "ACCESS_TOKEN_TTL_SECONDS",
    "REFRESH_TOKEN_TTL_SECONDS",
    "OIDC_PROVIDERS",
    "OAUTH_REDIRECT_ALLOWLIST",
    "PUBLIC_BASE_URL",
    "OIDC_ALLOW_HTTP_ISSUER",
)


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """A clean environment holding only valid required values, in a folder without .env."""
    monkeypatch.chdir(tmp_path)
    for name in SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in VALID_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


@pytest.fixture
def app() -> FastAPI:
    return make_app()


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with running(app) as client:
        yield client


@pytest.fixture(scope="session")
def storage() -> None:
    """Storage ready for users and posts (the database migrated), once per run."""
    prepare_storage()


@pytest.fixture
async def api(
    app: FastAPI,
    storage: None,  # noqa: ARG001  (requested for its effect: storage is ready)
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of a running app whose users and posts start empty."""
    async with running(app) as client:
        await reset_storage(app)
        yield client


@pytest.fixture
def logs() -> Iterator[LogCapture]:
    with capture_logs() as capture:
        yield capture


@pytest.fixture
async def staff(api: httpx.AsyncClient, app: FastAPI) -> Staff:
    """Who may read every user and change every post of ``api``."""
    return await new_staff(api, app)


@pytest.fixture
def authors(api: httpx.AsyncClient, app: FastAPI) -> NewAuthor:
    """Makes new authors on ``api``."""

    def make(name: str = "Ada Lovelace") -> Awaitable[Author]:
        return new_author(api, app, name)

    return make
