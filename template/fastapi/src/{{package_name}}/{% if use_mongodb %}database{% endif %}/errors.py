"""Database errors the client can act on, and reading the driver's errors."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from pymongo.errors import ConnectionFailure, WaitQueueTimeoutError

from ..core.errors import AppError


class DatabaseBusyError(AppError):
    """Every pooled connection stayed busy for DB_POOL_TIMEOUT_SECONDS: retry shortly."""

    log_level = logging.WARNING

    def __init__(self) -> None:
        super().__init__(
            "database_busy",
            "The database is busy; retry after the Retry-After delay.",
            status=503,
            headers={"Retry-After": "1"},
        )


class DatabaseUnavailableError(AppError):
    """MongoDB cannot be reached or dropped the connection: retry shortly."""

    log_level = logging.WARNING

    def __init__(self) -> None:
        super().__init__(
            "database_unavailable",
            "The database is unavailable; retry after the Retry-After delay.",
            status=503,
            headers={"Retry-After": "1"},
        )


@asynccontextmanager
async def driver_errors() -> AsyncIterator[None]:
    """Around every operation: MongoDB busy or away becomes a 503, not a 500.

    The driver has already retried a read or a write once on a new connection
    (retryReads, retryWrites) before either error arrives here.
    """
    try:
        yield
    except WaitQueueTimeoutError:
        raise DatabaseBusyError from None
    except ConnectionFailure as exc:
        raise DatabaseUnavailableError from exc
