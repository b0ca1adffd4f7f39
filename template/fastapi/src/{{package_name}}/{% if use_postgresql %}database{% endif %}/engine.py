"""The async engine (one connection pool per process) and the session factory.

Both are created in the app's lifespan, never at import time.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import AdaptedConnection, Dialect
from sqlalchemy.exc import DisconnectionError, SQLAlchemyError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from ..core.retry import retry
from .config import DatabaseSettings
from .errors import DatabaseUnavailableError, database_unavailable

CONNECT_TIMEOUT_SECONDS = 5.0
# Recycle before PostgreSQL or a proxy in between drops an idle connection.
POOL_RECYCLE_SECONDS = 1800


def create_engine(settings: DatabaseSettings, *, statement_timeout_seconds: float) -> AsyncEngine:
    """A pool of at most DB_POOL_SIZE connections, checked before use and recycled."""
    engine = create_async_engine(
        settings.async_database_url,
        pool_size=settings.db_pool_size,
        # A hard ceiling: the pool never opens more than DB_POOL_SIZE connections.
        max_overflow=0,
        # Waiting longer for a free connection raises, and the request is answered 503
        # (DatabaseBusyError) instead of queueing without bound.
        pool_timeout=settings.db_pool_timeout_seconds,
        pool_recycle=POOL_RECYCLE_SECONDS,
        # Statement parameters (emails, password hashes) stay out of errors and logs.
        hide_parameters=True,
        connect_args={
            "timeout": CONNECT_TIMEOUT_SECONDS,
            "server_settings": {
                "statement_timeout": str(int(statement_timeout_seconds * 1000)),
            },
        },
    )
    event.listen(engine.sync_engine, "checkout", replace_closed_connection)
    event.listen(engine.sync_engine, "do_connect", connect_or_unavailable)
    event.listen(engine.sync_engine, "handle_error", database_unavailable)
    return engine


def connect_or_unavailable(
    dialect: Dialect, _record: object, cargs: tuple[Any, ...], cparams: dict[str, Any]
) -> object:
    """Open a connection as SQLAlchemy would; a socket that fails is PostgreSQL being away.

    SQLAlchemy passes such an ``OSError`` (refused, reset, timed out) through unwrapped
    and without its ``handle_error`` hook, so it is translated here.
    """
    try:
        return dialect.loaded_dbapi.connect(*cargs, **cparams)
    except OSError as exc:
        raise DatabaseUnavailableError from exc


def replace_closed_connection(
    dbapi_connection: AdaptedConnection, _record: object, _proxy: object
) -> None:
    """Check each connection on checkout without a round trip (unlike pool_pre_ping).

    asyncpg marks a connection closed as soon as its socket closes (PostgreSQL restarted,
    the backend was terminated, a proxy dropped it); raising DisconnectionError makes the
    pool discard it and connect again. A connection that dies unseen fails its statement,
    and SQLAlchemy then invalidates every pooled connection opened before that moment.
    """
    if dbapi_connection.driver_connection.is_closed():
        raise DisconnectionError


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: objects stay readable after commit without a new query.
    return async_sessionmaker(engine, expire_on_commit=False)


def create_read_engine(engine: AsyncEngine) -> AsyncEngine:
    """The same pool in autocommit, for reads: no BEGIN and COMMIT round trips.

    asyncpg's isolation level is set on checkout and reset on checkin in the client,
    without a round trip.
    """
    return engine.execution_options(isolation_level="AUTOCOMMIT")


async def check_database(engine: AsyncEngine) -> None:
    """Round-trip one query; raises when PostgreSQL cannot be reached."""
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


@asynccontextmanager
async def open_database(
    settings: DatabaseSettings, *, statement_timeout_seconds: float
) -> AsyncIterator[AsyncEngine]:
    """Create the engine, wait for PostgreSQL (with retries), and dispose of the pool on exit."""
    engine = create_engine(settings, statement_timeout_seconds=statement_timeout_seconds)
    try:
        await retry(
            lambda: check_database(engine),
            what="PostgreSQL",
            retry_on=(OSError, SQLAlchemyError, DatabaseUnavailableError),
        )
        yield engine
    finally:
        await engine.dispose()
