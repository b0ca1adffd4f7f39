"""The async engine (one connection pool per process) and the session factory.

Both are created in the app's lifespan, never at import time.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from ..core.retry import retry
from .config import DatabaseSettings

CONNECT_TIMEOUT_SECONDS = 5.0
# Recycle before PostgreSQL or a proxy in between drops an idle connection.
POOL_RECYCLE_SECONDS = 1800


def create_engine(settings: DatabaseSettings, *, statement_timeout_seconds: float) -> AsyncEngine:
    """A pool of at most DB_POOL_SIZE connections, checked before use and recycled."""
    return create_async_engine(
        settings.async_database_url,
        pool_size=settings.db_pool_size,
        # A hard ceiling: the pool never opens more than DB_POOL_SIZE connections.
        max_overflow=0,
        pool_pre_ping=True,
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


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: objects stay readable after commit without a new query.
    return async_sessionmaker(engine, expire_on_commit=False)


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
            retry_on=(OSError, SQLAlchemyError),
        )
        yield engine
    finally:
        await engine.dispose()
