"""The auth task's part of the app: its routes, its command, in-process state."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from ..api import API_PREFIX
from ..core.commands import Command
from ..core.openapi import Amendment
from .admin import CREATE_ADMIN
from .attempts import MemoryLoginWindows
from .passwords import hashing
from .router import account_router, router
from .verified import VerifiedTokens

COMMANDS: tuple[Command, ...] = (CREATE_ADMIN,)


def install(app: FastAPI, _amendments: list[Amendment]) -> None:
    app.include_router(router, prefix=API_PREFIX)
    app.include_router(account_router, prefix=API_PREFIX)
    # New password hashes are made with this app's Argon2id profile (ARGON2_PROFILE).
    hashing.use(app.state.settings.argon2_profile)
    # Access tokens this app has verified (verified.py): a new app trusts none.
    app.state.verified_tokens = VerifiedTokens()
    # Failed sign-ins, counted in this process; the cache task counts them in Redis.
    app.state.login_windows = MemoryLoginWindows()


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    yield
