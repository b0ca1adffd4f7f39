"""The database task's part of the app: migrate, the 503 it documents, the pool while it runs."""

import argparse
import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI

from ..api import API_PREFIX
from ..core.commands import Command
from ..core.openapi import Amendment
from .client import check_database, open_database
from .migrations import migrate
from .openapi import pool_limited

if TYPE_CHECKING:
    from ..settings import Settings


async def _migrate(settings: "Settings") -> None:
    async with open_database(settings, timeout_seconds=settings.request_timeout_seconds) as store:
        await migrate(store.database)


def run_migrate(settings: "Settings", _arguments: argparse.Namespace) -> int:
    asyncio.run(_migrate(settings))
    return 0


COMMANDS: tuple[Command, ...] = (
    Command(
        "migrate",
        "create or update the collections, validators and indexes (each step once)",
        (),
        run_migrate,
    ),
)


def install(_app: FastAPI, amendments: list[Amendment]) -> None:
    amendments.append(pool_limited(API_PREFIX))


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the pool (waiting for MongoDB), register its readiness check, close it."""
    settings: Settings = app.state.settings
    async with open_database(settings, timeout_seconds=settings.request_timeout_seconds) as store:
        app.state.store = store
        app.state.readiness_checks["database"] = lambda: check_database(store)
        yield
