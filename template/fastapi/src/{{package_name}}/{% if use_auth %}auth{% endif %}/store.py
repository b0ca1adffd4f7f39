"""What auth reads and writes in PostgreSQL: password hashes, roles and refresh tokens."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..database.models import UserRow
from ..database.users import read_user, to_user
from ..users.repository import Role, User
from .models import RefreshTokenRow


@dataclass(frozen=True, slots=True)
class StoredRefreshToken:
    family_id: uuid.UUID
    user_id: uuid.UUID
    revoked: bool
    expires_at: datetime


class AuthStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find_by_email(self, email: str) -> tuple[User, str | None] | None:
        row = await self.session.scalar(select(UserRow).where(UserRow.email == email))
        return None if row is None else (to_user(row), row.password_hash)

    async def get_user(self, user_id: uuid.UUID) -> User | None:
        # A plain select, not Session.get: no ORM identity map to load or refresh.
        return await read_user(self.session, user_id)

    async def update_user(
        self,
        user_id: uuid.UUID,
        *,
        name: str | None = None,
        password_hash: str | None = None,
        role: Role | None = None,
    ) -> None:
        """Change the given fields; the others keep their values."""
        values = {"name": name, "password_hash": password_hash, "role": role}
        changes = {key: value for key, value in values.items() if value is not None}
        if changes:
            await self.session.execute(
                update(UserRow).where(UserRow.id == user_id).values(**changes)
            )

    async def add_refresh_token(
        self,
        token_hash: str,
        *,
        family_id: uuid.UUID,
        user_id: uuid.UUID,
        expires_at: datetime,
        created_at: datetime,
    ) -> None:
        self.session.add(
            RefreshTokenRow(
                id=uuid.uuid4(),
                family_id=family_id,
                user_id=user_id,
                token_hash=token_hash,
                revoked=False,
                expires_at=expires_at,
                created_at=created_at,
            )
        )
        await self.session.flush()

    async def claim_refresh_token(self, token_hash: str) -> StoredRefreshToken | None:
        """The token, locked until the transaction ends; its revoked flag is now set.

        The row lock makes two concurrent refreshes with one token take turns: the
        second sees the token revoked, exactly like a replayed stolen copy.
        """
        row = await self.session.scalar(
            select(RefreshTokenRow)
            .where(RefreshTokenRow.token_hash == token_hash)
            .with_for_update()
        )
        if row is None:
            return None
        found = StoredRefreshToken(
            family_id=row.family_id,
            user_id=row.user_id,
            revoked=row.revoked,
            expires_at=row.expires_at,
        )
        row.revoked = True
        await self.session.flush()
        return found

    async def revoke_family(self, family_id: uuid.UUID) -> None:
        await self.session.execute(
            update(RefreshTokenRow)
            .where(RefreshTokenRow.family_id == family_id)
            .values(revoked=True)
        )

    async def commit(self) -> None:
        """Make a revocation stick even though the request then fails with a 401."""
        await self.session.commit()
