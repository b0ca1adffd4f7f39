"""Database errors the client can act on, and reading the driver's errors."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from pymongo.errors import ConnectionFailure, PyMongoError, WaitQueueTimeoutError

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
    (retryReads, retryWrites) before either error arrives here. A transaction that still
    conflicts with another one once its retries are over is busy too: it was aborted, and
    the request can be sent again.
    """
    try:
        yield
    except WaitQueueTimeoutError:
        raise DatabaseBusyError from None
    except ConnectionFailure as exc:
        raise DatabaseUnavailableError from exc
    except PyMongoError as exc:
        if exc.has_error_label("TransientTransactionError"):
            raise DatabaseBusyError from exc
        raise
