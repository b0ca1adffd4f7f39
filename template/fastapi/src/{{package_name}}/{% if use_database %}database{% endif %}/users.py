"""The users repository over PostgreSQL, inside the request's transaction."""

import uuid

from sqlalchemy import delete, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..core.pagination import Cursor
from ..users.errors import EmailTakenError
from ..users.repository import Role, User
from .errors import violated_constraint
from .models import UserRow

EMAIL_KEY = "users_email_key"


def to_user(row: UserRow) -> User:
    role: Role = "admin" if row.role == "admin" else "user"
    return User(id=row.id, email=row.email, name=row.name, role=role, created_at=row.created_at)


class PostgresUserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, user: User) -> None:
        self.session.add(
            UserRow(
                id=user.id,
                email=user.email,
                name=user.name,
                role=user.role,
                created_at=user.created_at,
            )
        )
        try:
            # Flush now, so a duplicate email fails here (and the request's
            # transaction rolls back) rather than at commit.
            await self.session.flush()
        except IntegrityError as exc:
            if violated_constraint(exc) == EMAIL_KEY:
                raise EmailTakenError from None
            raise

    async def get(self, user_id: uuid.UUID) -> User | None:
        row = await self.session.get(UserRow, user_id)
        return None if row is None else to_user(row)

    async def list_after(self, after: Cursor | None, limit: int) -> list[User]:
        query = select(UserRow).order_by(UserRow.created_at.desc(), UserRow.id.desc()).limit(limit)
        if after is not None:
            # A row comparison, which the (created_at DESC, id DESC) index answers.
            key = tuple_(UserRow.created_at, UserRow.id)
            query = query.where(key < tuple_(after.created_at, after.id))
        return [to_user(row) for row in await self.session.scalars(query)]

    async def delete(self, user_id: uuid.UUID) -> bool:
        # The posts go with the user: ON DELETE CASCADE on posts.author_id.
        result = await self.session.execute(
            delete(UserRow).where(UserRow.id == user_id).returning(UserRow.id)
        )
        return result.scalar_one_or_none() is not None
