"""The optimize task's part of the app: HTTP caching, compression and query instrumentation."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware

from ..api import API_PREFIX
from ..core.commands import Command
from ..core.openapi import Amendment
from . import statements
from .middleware import ETagMiddleware, QueryCountMiddleware
from .openapi import conditional_gets

if TYPE_CHECKING:
    from ..settings import Settings


COMMANDS: tuple[Command, ...] = ()


def install(app: FastAPI, amendments: list[Amendment]) -> None:
    """Added before the core middlewares, so they run inside them, next to the routes."""
    settings: Settings = app.state.settings
    amendments.append(conditional_gets(API_PREFIX))
    # ETags hash the uncompressed body; compression comes after them.
    app.add_middleware(ETagMiddleware, path_prefix=API_PREFIX)
    # zlib's default level: level 9 (Starlette's default) costs several times the CPU
    # for a few percent smaller JSON.
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=6)
    app.add_middleware(QueryCountMiddleware, header=settings.query_count_header)
    statements.install(app)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Time and count the statements of the database task's pool (``statements.py``)."""
    async with statements.lifespan(app):
        yield
