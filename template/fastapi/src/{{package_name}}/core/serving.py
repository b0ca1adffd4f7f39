"""uvicorn as ``serve`` runs it: the options the tasks add, and what runs as shutdown begins.

uvicorn's shutdown stops accepting, closes idle connections (open WebSockets with 1012),
waits for the in-flight requests, then runs the app's lifespan exit. A task that must
say goodbye first (close its WebSockets with a code of its own) adds a hook to
``app.state.before_shutdown``: each one runs before uvicorn's shutdown starts.
"""

import logging
import socket
from collections.abc import Awaitable, Callable
from typing import Any

import uvicorn
from fastapi import FastAPI

from ..settings import Settings

logger = logging.getLogger(__name__)

# Run at the start of a graceful shutdown, before connections are closed.
ShutdownHook = Callable[[], Awaitable[None]]


class Server(uvicorn.Server):
    """uvicorn's server, running the app's ``before_shutdown`` hooks before its shutdown."""

    def __init__(self, config: uvicorn.Config, app: FastAPI) -> None:
        super().__init__(config)
        self.hooks: list[ShutdownHook] = app.state.before_shutdown

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for hook in self.hooks:
            try:
                await hook()
            except Exception:
                # A failing hook must not keep the server from shutting down.
                logger.exception("shutdown hook failed")
        await super().shutdown(sockets)


def server_for(app: FastAPI, settings: Settings, *, port: int | None = None) -> Server:
    """The server of ``app`` on HOST:PORT (or ``port``), with the options its tasks set."""
    options: dict[str, Any] = app.state.server_options
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port if port is None else port,
        log_config=None,
        access_log=False,
        server_header=False,
        lifespan="on",
        timeout_graceful_shutdown=settings.shutdown_timeout_seconds,
        **options,
    )
    return Server(config, app)
