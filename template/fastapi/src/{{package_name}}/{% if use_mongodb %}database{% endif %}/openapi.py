"""What the database adds to the OpenAPI document: the 503 of a busy or absent MongoDB."""

from ..core.openapi import RETRY_AFTER, Amendment, problem, under


def pool_limited(prefix: str) -> Amendment:
    """errors.py: no pooled connection came free in time, or MongoDB is away."""
    away = problem(
        "The database is busy: every pooled connection stayed in use (database_busy); "
        "or unavailable: MongoDB refused, ended or could not open a connection "
        "(database_unavailable)"
    )
    return Amendment(under(prefix), responses={"503": away | {"headers": RETRY_AFTER}})
