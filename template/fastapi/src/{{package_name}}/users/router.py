"""/users: sign-up, look-up, listing and removal."""

import uuid
from typing import Any

from fastapi import APIRouter, Request, Response

from ..core.pagination import Page, PageRequestDep
from . import service
from .dependencies import UserRepositoryDep
from .schemas import UserCreate, UserPublic

router = APIRouter(prefix="/users", tags=["users"])

_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No user has this id"}}


@router.post("", status_code=201, responses={409: {"description": "The email is in use"}})
async def create_user(
    data: UserCreate, users: UserRepositoryDep, request: Request, response: Response
) -> UserPublic:
    """Sign up; the email is trimmed and lower-cased, and must not be in use."""
    user = await service.register_user(users, data)
    response.headers["Location"] = request.app.url_path_for("get_user", user_id=str(user.id))
    return UserPublic.of(user)


@router.get("")
async def list_users(users: UserRepositoryDep, page: PageRequestDep) -> Page[UserPublic]:
    """Users newest first; pass ``next_cursor`` back as ``cursor`` for the next page."""
    items, next_cursor = await service.list_users(users, page)
    return Page(items=[UserPublic.of(user) for user in items], next_cursor=next_cursor)


@router.get("/{user_id}", responses=_NOT_FOUND)
async def get_user(user_id: uuid.UUID, users: UserRepositoryDep) -> UserPublic:
    return UserPublic.of(await service.get_user(users, user_id))


@router.delete("/{user_id}", status_code=204, responses=_NOT_FOUND)
async def delete_user(user_id: uuid.UUID, users: UserRepositoryDep) -> None:
    """Remove the user and every post they wrote."""
    await service.delete_user(users, user_id)
