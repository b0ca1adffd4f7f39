"""The gRPC style's part of the app: its server, on GRPC_PORT, from start-up to shut-down.

The server runs in the app's event loop, beside uvicorn. When a graceful shutdown begins,
health turns NOT_SERVING and the server stops taking calls at once; calls in flight get
SHUTDOWN_TIMEOUT_SECONDS to finish (as HTTP requests do), then are cancelled.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI
from grpc import aio

from ..core.commands import Command
from ..core.openapi import Amendment
from ..core.serving import ShutdownHook
from .health import HealthServicer, check_readiness, watch_readiness
from .server import SERVICES, build_server

if TYPE_CHECKING:
    from ..settings import Settings

COMMANDS: tuple[Command, ...] = ()


class Running:
    """The started server, and its stop: begun once, by the shutdown hook or the lifespan."""

    def __init__(
        self,
        server: aio.Server,
        health: HealthServicer,
        grace_seconds: float,
        before_stop: list[ShutdownHook],
    ) -> None:
        self.server = server
        self.health = health
        self.grace_seconds = grace_seconds
        self.before_stop = before_stop
        self._stopping: asyncio.Task[None] | None = None

    def stop(self) -> asyncio.Task[None]:
        if self._stopping is None:
            self._stopping = asyncio.create_task(self._stop())
        return self._stopping

    async def _stop(self) -> None:
        await self.health.enter_graceful_shutdown()
        for hook in self.before_stop:
            await hook()
        await self.server.stop(self.grace_seconds)


def install(app: FastAPI, amendments: list[Amendment]) -> None:
    del amendments  # no REST operation: /openapi.json does not list the gRPC services
    # What runs as the server stops, before it waits for the calls in flight.
    app.state.grpc_before_stop = []

    async def begin_stop() -> None:
        # Not awaited: the HTTP server drains meanwhile; the lifespan exit waits for both.
        running: Running | None = getattr(app.state, "grpc_server", None)
        if running is not None:
            running.stop()

    app.state.before_shutdown.append(begin_stop)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Listen (or fail naming GRPC_PORT), serve, and stop gracefully."""
    settings: Settings = app.state.settings
    server, health = build_server(app)
    await check_readiness(app, health, SERVICES)
    await server.start()
    running = app.state.grpc_server = Running(
        server, health, settings.shutdown_timeout_seconds, app.state.grpc_before_stop
    )
    watcher = asyncio.create_task(
        watch_readiness(app, health, SERVICES, settings.grpc_health_check_seconds)
    )
    try:
        yield
    finally:
        await running.stop()
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
