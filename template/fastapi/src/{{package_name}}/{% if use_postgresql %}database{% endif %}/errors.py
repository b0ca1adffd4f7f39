"""Database errors the client can act on, and reading PostgreSQL's errors."""

import logging
import re

from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import IntegrityError

from ..core.errors import AppError

# SQLSTATE of PostgreSQL ending a session or refusing one: class 08 (connection
# exception), 57P01-57P05 (shut down by an administrator, crashed, starting up or
# shutting down, database dropped, idle session timeout), 53300 (too many connections).
# Never a bug in this service.
_SERVER_AWAY = re.compile(r"08...|57P0[1-5]|53300")


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
    """PostgreSQL cannot be reached or dropped the connection: retry shortly."""

    log_level = logging.WARNING

    def __init__(self) -> None:
        super().__init__(
            "database_unavailable",
            "The database is unavailable; retry after the Retry-After delay.",
            status=503,
            headers={"Retry-After": "1"},
        )


def database_unavailable(context: ExceptionContext) -> DatabaseUnavailableError | None:
    """The engine's ``handle_error`` hook: PostgreSQL being away becomes a 503, not a 500.

    A connection that PostgreSQL closed is marked a disconnect, so the pool discards it
    (and every connection opened before it) instead of lending it out again. Failing to
    connect at all (refused, reset, timed out) arrives as a plain ``OSError``.
    """
    error = context.original_exception
    # The driver's own error, with its SQLSTATE, is the cause of SQLAlchemy's.
    sqlstate = getattr(error.__cause__, "sqlstate", None)
    if isinstance(sqlstate, str) and _SERVER_AWAY.fullmatch(sqlstate):
        context.is_disconnect = True
    if context.is_disconnect or isinstance(error, OSError):
        return DatabaseUnavailableError()
    return None


def violated_constraint(error: IntegrityError) -> str | None:
    """The constraint's name, as asyncpg reports it (the driver error is the cause)."""
    driver_error = getattr(error.orig, "__cause__", None)
    name = getattr(driver_error, "constraint_name", None)
    return name if isinstance(name, str) else None
