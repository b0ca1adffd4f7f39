"""The users repository over PostgreSQL, inside the request's transaction."""

import uuid
from datetime import datetime

from sqlalchemy import Row, Select, bindparam, delete, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from ..core.pagination import Cursor
from ..users.errors import EmailTakenError
from ..users.repository import Role, User
from .errors import violated_constraint
from .models import UserRow

EMAIL_KEY = "users_email_key"


# id, email, name, role, created_at
UserSelect = Select[uuid.UUID, str, str, str, datetime]
UserColumns = Row[uuid.UUID, str, str, str, datetime]


def to_user(row: UserRow | UserColumns) -> User:
    role: Role = "admin" if row.role == "admin" else "user"
    return User(id=row.id, email=row.email, name=row.name, role=role, created_at=row.created_at)


def select_users() -> UserSelect:
    """The columns of a User as plain rows: no ORM objects to build or track."""
    return select(UserRow.id, UserRow.email, UserRow.name, UserRow.role, UserRow.created_at)


# Built once, like the posts' statements (database/posts.py says why).
_BY_ID = select_users().where(UserRow.id == bindparam("user_id", type_=UserRow.id.type))


async def read_user(db: AsyncSession | AsyncConnection, user_id: uuid.UUID) -> User | None:
    """One user by id in one statement, through a session or a plain connection."""
    row = (await db.execute(_BY_ID, {"user_id": user_id})).one_or_none()
    return None if row is None else to_user(row)


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
        return await read_user(self.session, user_id)

    async def list_after(self, after: Cursor | None, limit: int) -> list[User]:
        query = select_users().order_by(UserRow.created_at.desc(), UserRow.id.desc()).limit(limit)
        if after is not None:
            # A row comparison, which the (created_at DESC, id DESC) index answers.
            key = tuple_(UserRow.created_at, UserRow.id)
            query = query.where(key < tuple_(after.created_at, after.id))
        return [to_user(row) for row in await self.session.execute(query)]

    async def delete(self, user_id: uuid.UUID) -> bool:
        # The posts go with the user: ON DELETE CASCADE on posts.author_id.
        result = await self.session.execute(
            delete(UserRow).where(UserRow.id == user_id).returning(UserRow.id)
        )
        return result.scalar_one_or_none() is not None
