"""Request and response bodies of /auth/oauth, and /users/me with its providers."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict

from ..core.text import text
from ..users.repository import User
from ..users.schemas import UserPublic


class LoginCodeExchange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Annotated[str, text(1, 128)]


class AccountPublic(UserPublic):
    """The caller's own account, with the providers they can sign in with."""

    providers: list[str]

    @classmethod
    def of_account(cls, user: User, providers: list[str]) -> "AccountPublic":
        return cls.model_validate({**UserPublic.of(user).model_dump(), "providers": providers})
