"""Reading PostgreSQL's integrity errors: which constraint a failed write violated."""

from sqlalchemy.exc import IntegrityError


def violated_constraint(error: IntegrityError) -> str | None:
    """The constraint's name, as asyncpg reports it (the driver error is the cause)."""
    driver_error = getattr(error.orig, "__cause__", None)
    name = getattr(driver_error, "constraint_name", None)
    return name if isinstance(name, str) else None
