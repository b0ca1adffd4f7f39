"""Signed-up, signed-in accounts for the auth tests."""

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from tests.auth.part import PASSWORD
from tests.helpers import create_user


@dataclass(frozen=True)
class Account:
    user: dict[str, Any]
    access_token: str
    refresh_token: str

    @property
    def id(self) -> str:
        return str(self.user["id"])

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


async def sign_in(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD
) -> httpx.Response:
    return await client.post("/api/v1/auth/token", json={"email": email, "password": password})


async def make_account(
    client: httpx.AsyncClient, app: FastAPI, *, role: str = "user", name: str = "Ada"
) -> Account:
    """A new account with ``role``, signed in (after the role is set, so the token has it)."""
    user = await create_user(client, email=f"{role}-{uuid.uuid4().hex[:10]}@example.com", name=name)
    if role != "user":
        async with app.state.engine.begin() as connection:
            await connection.execute(
                text("UPDATE users SET role = :role WHERE id = :id"),
                {"role": role, "id": uuid.UUID(user["id"])},
            )
        user = user | {"role": role}
    response = await sign_in(client, user["email"])
    assert response.status_code == 200, response.text
    tokens = response.json()
    return Account(user, tokens["access_token"], tokens["refresh_token"])
