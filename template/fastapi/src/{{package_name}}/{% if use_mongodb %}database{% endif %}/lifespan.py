"""The database task's part of the app: migrate, the 503 it documents, the pool while it runs."""

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI

from ..api import API_PREFIX
from ..core.commands import Command
from ..core.config import ConfigError, CoreSettings, load_settings
from ..core.logging import configure_logging
from ..core.openapi import Amendment
from .client import check_database, open_database
from .config import DatabaseSettings
from .migrations import migrate
from .openapi import pool_limited

if TYPE_CHECKING:
    from ..settings import Settings


class MigrateSettings(CoreSettings, DatabaseSettings):
    """What ``migrate`` reads: the core settings and the database's, no other task's."""

    model_config = CoreSettings.model_config


async def _migrate(settings: DatabaseSettings, timeout_seconds: float) -> None:
    async with open_database(settings, timeout_seconds=timeout_seconds) as store:
        await migrate(store.database)


def run_migrate(settings: "Settings", _arguments: argparse.Namespace) -> int:
    asyncio.run(_migrate(settings, settings.request_timeout_seconds))
    return 0


def migrate_alone() -> int:
    """``migrate`` with only its own settings: DATABASE_URL is all it needs."""
    try:
        settings = load_settings(MigrateSettings)
    except ConfigError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    configure_logging(settings.log_level)
    asyncio.run(_migrate(settings, settings.request_timeout_seconds))
    return 0


MIGRATE = Command(
    "migrate",
    "create or update the collections, validators and indexes (each step once)",
    (),
    run_migrate,
    alone=migrate_alone,
)
COMMANDS: tuple[Command, ...] = (MIGRATE,)


def install(app: FastAPI, amendments: list[Amendment]) -> None:
    amendments.append(pool_limited(API_PREFIX))
    # Command listeners a later task adds at its install (optimize counts and times the
    # commands): the client takes them when it is created, at start-up.
    app.state.database_listeners = []


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the pool (waiting for MongoDB), register its readiness check, close it."""
    settings: Settings = app.state.settings
    async with open_database(
        settings,
        timeout_seconds=settings.request_timeout_seconds,
        listeners=app.state.database_listeners,
    ) as store:
        app.state.store = store
        app.state.readiness_checks["database"] = lambda: check_database(store)
        yield
