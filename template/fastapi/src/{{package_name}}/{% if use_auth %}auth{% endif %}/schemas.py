"""Request and response bodies of /auth and /users/me."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, field_validator

from ..core.text import text
from ..users.schemas import Name

Password = Annotated[str, text(8, 128)]


class Credentials(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Annotated[str, text(0, 254)]
    password: Annotated[str, text(0, 1024)]


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: Annotated[str, text(1, 512)]


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105  (a scheme name, not a secret)
    expires_in: int


class AccountUpdate(BaseModel):
    """What a user may change about themselves: not their email, never their role."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    password: Password | None = None

    @field_validator("name", "password")
    @classmethod
    def _not_null(cls, value: str | None) -> str:
        if value is None:
            msg = "may be left out but not null"
            raise ValueError(msg)
        return value
