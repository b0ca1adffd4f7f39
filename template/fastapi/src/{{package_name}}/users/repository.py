"""What the users domain needs from storage, whatever the storage is.

``UserRepository`` is implemented in memory (``memory.py``) when the service has no
database and by PostgreSQL (``database/users.py``) when it has one; ``dependencies.py``
picks the implementation, so nothing else changes when the storage does.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from ..core.pagination import Cursor

Role = Literal["user", "admin"]


@dataclass(frozen=True, slots=True)
class User:
    id: uuid.UUID
    # Trimmed and lower-cased before it gets here: one spelling per address.
    email: str
    name: str
    role: Role
    created_at: datetime


class UserRepository(Protocol):
    async def add(self, user: User) -> None:
        """Store a new user; raises EmailTakenError when the email is already used."""

    async def get(self, user_id: uuid.UUID) -> User | None: ...

    async def list_after(self, after: Cursor | None, limit: int) -> list[User]:
        """Up to ``limit`` users newest first, strictly after ``after`` when given."""

    async def delete(self, user_id: uuid.UUID) -> bool:
        """Remove the user and their posts; False when there was no such user."""
