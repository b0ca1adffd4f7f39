"""Database errors the client can act on, and reading PostgreSQL's integrity errors."""

from sqlalchemy.exc import IntegrityError

from ..core.errors import AppError


class DatabaseBusyError(AppError):
    """Every pooled connection stayed busy for DB_POOL_TIMEOUT_SECONDS: retry shortly."""

    def __init__(self) -> None:
        super().__init__(
            "database_busy",
            "The database is busy; retry after the Retry-After delay.",
            status=503,
            headers={"Retry-After": "1"},
        )


def violated_constraint(error: IntegrityError) -> str | None:
    """The constraint's name, as asyncpg reports it (the driver error is the cause)."""
    driver_error = getattr(error.orig, "__cause__", None)
    name = getattr(driver_error, "constraint_name", None)
    return name if isinstance(name, str) else None
