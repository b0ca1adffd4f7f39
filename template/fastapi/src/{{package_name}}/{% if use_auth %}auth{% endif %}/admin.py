"""``create-admin``: create the first administrator, or promote an existing account."""

import uuid
from typing import Literal

from pydantic import TypeAdapter, ValidationError

from ..core.timestamps import utc_now
from ..database.engine import create_sessionmaker, open_database
from ..database.users import PostgresUserRepository
from ..settings import Settings
from ..users.repository import User
from ..users.schemas import Email
from .passwords import hash_password
from .schemas import Password
from .store import AuthStore


class AdminError(Exception):
    """The email or password cannot be used; the message says why."""


def _checked(email: str, password: str) -> tuple[str, str]:
    try:
        return TypeAdapter(Email).validate_python(email), TypeAdapter(Password).validate_python(
            password
        )
    except ValidationError as exc:
        what = "email" if exc.errors()[0]["input"] == email else "ADMIN_PASSWORD"
        msg = f"{what}: {exc.errors(include_input=False)[0]['msg']}"
        raise AdminError(msg) from None


async def create_admin(
    settings: Settings, email: str, password: str
) -> Literal["created", "promoted"]:
    """Promote the account with this email (its password unchanged), or create it."""
    email, password = _checked(email, password)
    async with (
        open_database(
            settings, statement_timeout_seconds=settings.request_timeout_seconds
        ) as engine,
        create_sessionmaker(engine).begin() as session,
    ):
        store = AuthStore(session)
        found = await store.find_by_email(email)
        if found is not None:
            await store.update_user(found[0].id, role="admin")
            return "promoted"
        user = User(
            id=uuid.uuid4(), email=email, name="Administrator", role="admin", created_at=utc_now()
        )
        await PostgresUserRepository(session).add(user)
        await store.update_user(user.id, password_hash=await hash_password(password))
        return "created"
