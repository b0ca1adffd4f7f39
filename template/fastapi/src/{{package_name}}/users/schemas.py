"""Request and response bodies of /users."""

import re
import uuid
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from ..core.timestamps import Timestamp
from .repository import Role, User

# Deliberately loose (one @, no spaces, a dot in the domain): the only real check of an
# address is mail reaching it. Both stacks apply this same rule.
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]+")


def _check_email(value: str) -> str:
    if not _EMAIL.fullmatch(value):
        msg = "not a valid email address"
        raise ValueError(msg)
    return value


Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True, max_length=254),
    AfterValidator(_check_email),
]
Name = Annotated[str, Field(min_length=1, max_length=100)]


class UserCreate(BaseModel):
    # Unknown fields are refused, so nobody can give themselves a role.
    model_config = ConfigDict(extra="forbid")

    email: Email
    name: Name


class UserPublic(BaseModel):
    id: uuid.UUID
    email: str
    name: str
    role: Role
    created_at: Timestamp

    @classmethod
    def of(cls, user: User) -> "UserPublic":
        return cls(
            id=user.id, email=user.email, name=user.name, role=user.role, created_at=user.created_at
        )
