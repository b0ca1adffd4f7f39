"""SQL statements counted per request, and slow ones logged.

Both hook the engine's cursor events, so every statement is seen whichever code sent
it. The count lives in a ContextVar, so concurrent requests never mix their counts.
"""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

logger = logging.getLogger(__name__)


@dataclass
class QueryCount:
    statements: int = 0


# A mutable holder: the cursor events run in SQLAlchemy's greenlet, which sees this
# context's value but could not set a new one for the request to read.
_current: ContextVar[QueryCount | None] = ContextVar("query_count", default=None)
_STARTED = "optimize_started"


@contextmanager
def counting_queries() -> Iterator[QueryCount]:
    """Count the statements sent inside this block (by this task and what it awaits)."""
    count = QueryCount()
    token = _current.set(count)
    try:
        yield count
    finally:
        _current.reset(token)


def instrument_engine(engine: AsyncEngine, *, slow_query_ms: float) -> None:
    """Count every statement, and log those slower than ``slow_query_ms`` as one JSON line."""

    def before(conn: Connection, *_args: Any) -> None:  # noqa: ANN401  (the event's signature)
        count = _current.get()
        if count is not None:
            count.statements += 1
        conn.info.setdefault(_STARTED, []).append(time.perf_counter())

    def after(conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:  # noqa: ANN401  (the event's signature)
        started: list[float] = conn.info.get(_STARTED, [])
        if not started:
            return
        duration_ms = (time.perf_counter() - started.pop()) * 1000
        if duration_ms >= slow_query_ms:
            # The statement's text only: its parameters may hold emails or password hashes.
            logger.warning(
                "slow query",
                extra={"duration_ms": round(duration_ms, 2), "statement": statement},
            )

    event.listen(engine.sync_engine, "before_cursor_execute", before)
    event.listen(engine.sync_engine, "after_cursor_execute", after)
