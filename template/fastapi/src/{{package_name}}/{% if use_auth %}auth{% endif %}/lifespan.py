"""The auth task's part of the app: in-process state only, nothing to open or close."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from ..core.openapi import Amendment
from ..core.windows import MemoryWindowCounter
from .verified import VerifiedTokens


def install(app: FastAPI, _amendments: list[Amendment]) -> None:
    # Access tokens this app has verified (verified.py): a new app trusts none.
    app.state.verified_tokens = VerifiedTokens()
    # Failed sign-ins, counted in this process; the cache task counts them in Redis.
    app.state.login_windows = MemoryWindowCounter()


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    yield
