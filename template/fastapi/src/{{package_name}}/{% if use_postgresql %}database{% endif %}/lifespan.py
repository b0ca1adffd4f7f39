"""The database task's part of the app: the 503 it documents, the pool while the app runs."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI

from ..api import API_PREFIX
from ..core.commands import Command
from ..core.openapi import Amendment
from .engine import check_database, create_read_engine, create_sessionmaker, open_database
from .openapi import pool_limited

if TYPE_CHECKING:
    from ..settings import Settings


COMMANDS: tuple[Command, ...] = ()


def install(_app: FastAPI, amendments: list[Amendment]) -> None:
    amendments.append(pool_limited(API_PREFIX))


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the pool (waiting for PostgreSQL), register its readiness check, dispose of it."""
    settings: Settings = app.state.settings
    async with open_database(
        settings, statement_timeout_seconds=settings.request_timeout_seconds
    ) as engine:
        app.state.engine = engine
        app.state.sessionmaker = create_sessionmaker(engine)
        app.state.read_engine = create_read_engine(engine)
        app.state.read_sessionmaker = create_sessionmaker(app.state.read_engine)
        app.state.readiness_checks["database"] = lambda: check_database(engine)
        yield
