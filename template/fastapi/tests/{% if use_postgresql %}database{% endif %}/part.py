"""The database task's part of the test helpers: PostgreSQL, migrated, emptied per test."""

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI
from sqlalchemy import text

from tests.part import TestPart

if TYPE_CHECKING:
    from tests.helpers import TestServers

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent


def migrate(*arguments: str) -> None:
    completed = subprocess.run(  # noqa: S603  (our own interpreter, fixed arguments)
        [sys.executable, "-m", "alembic", *arguments],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        msg = f"alembic {' '.join(arguments)} failed:\n{completed.stdout}{completed.stderr}"
        raise AssertionError(msg)


def _upgrade() -> None:
    """Bring the test database to the newest migration, as `alembic upgrade head` does."""
    migrate("upgrade", "head")


async def _empty(app: FastAPI, tables: tuple[str, ...]) -> None:
    # DELETE, not TRUNCATE: a test leaves a few rows, and TRUNCATE costs ~20 ms a time (it
    # gives each table new files). Referencing tables first: a task's tables refer only to
    # those of the tasks before it, and PARTS lists them in that order.
    async with app.state.engine.begin() as connection:
        for table in reversed(tables):
            await connection.execute(text(f"DELETE FROM {table}"))  # noqa: S608  (our table names)


def _environment(servers: "TestServers") -> dict[str, str]:
    return {"DATABASE_URL": servers.database_url}


PART = TestPart(
    required_servers={
        "DATABASE_URL": "a PostgreSQL database, e.g. postgresql://postgres@127.0.0.1:5432/test"
    },
    environment=_environment,
    valid_environment={"DATABASE_URL": "postgresql://app:pw@db.internal:5432/app"},
    readiness_checks=("database",),
    tables=("users", "posts"),
    prepare_storage=_upgrade,
    empty_tables=_empty,
)
