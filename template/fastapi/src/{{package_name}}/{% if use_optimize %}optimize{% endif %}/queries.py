"""Database statements counted per request, and slow ones logged.

The database's own hooks (``statements.py``) report every statement here, whichever code
sent it. The count lives in a ContextVar, so concurrent requests never mix their counts.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass
class QueryCount:
    statements: int = 0


# A mutable holder: a hook may run in a copy of this context (SQLAlchemy's greenlet, a
# task the request started), which sees this value but could not set one the request reads.
_current: ContextVar[QueryCount | None] = ContextVar("query_count", default=None)


@contextmanager
def counting_queries() -> Iterator[QueryCount]:
    """Count the statements sent inside this block (by this task and what it awaits)."""
    count = QueryCount()
    token = _current.set(count)
    try:
        yield count
    finally:
        _current.reset(token)


def count_statement() -> None:
    """One more statement for the block counting in this context, if there is one."""
    count = _current.get()
    if count is not None:
        count.statements += 1


def log_if_slow(duration_ms: float, statement: str, *, slow_query_ms: float) -> None:
    """One JSON line for a statement that took ``slow_query_ms`` or more.

    ``statement`` describes the statement without any value it was sent with: parameters
    and filters may hold emails or password hashes.
    """
    if duration_ms >= slow_query_ms:
        logger.warning(
            "slow query",
            extra={"duration_ms": round(duration_ms, 2), "statement": statement},
        )
