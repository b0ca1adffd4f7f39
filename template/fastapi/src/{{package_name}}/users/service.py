"""Use cases of the users domain; routes call these, storage sits behind the repository."""

import uuid

from ..core.pagination import PageRequest, split_page
from ..core.timestamps import utc_now
from .errors import UserNotFoundError
from .repository import User, UserRepository
from .schemas import UserCreate


async def register_user(users: UserRepository, data: UserCreate) -> User:
    """A new ``user``-role account; EmailTakenError when the address is in use."""
    user = User(
        id=uuid.uuid4(), email=data.email, name=data.name, role="user", created_at=utc_now()
    )
    # No look-up first: the unique email is enforced by the store itself, so two
    # concurrent sign-ups cannot both pass a check and then both insert.
    await users.add(user)
    return user


async def get_user(users: UserRepository, user_id: uuid.UUID) -> User:
    user = await users.get(user_id)
    if user is None:
        raise UserNotFoundError
    return user


async def list_users(users: UserRepository, page: PageRequest) -> tuple[list[User], str | None]:
    return split_page(await users.list_after(page.after, page.limit + 1), page.limit)


async def delete_user(users: UserRepository, user_id: uuid.UUID) -> None:
    if not await users.delete(user_id):
        raise UserNotFoundError
