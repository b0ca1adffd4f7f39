"""/posts: write, read, list (with each post's author), change and remove posts."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from ..core.pagination import Page, PageRequestDep
from ..users.dependencies import UserRepositoryDep
from . import service
from .dependencies import PostRepositoryDep
from .schemas import PostCreate, PostPublic, PostUpdate

router = APIRouter(prefix="/posts", tags=["posts"])

_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No post has this id"}}


@router.post("", status_code=201)
async def create_post(
    data: PostCreate,
    posts: PostRepositoryDep,
    users: UserRepositoryDep,
    request: Request,
    response: Response,
) -> PostPublic:
    """Write a post; an ``author_id`` that names no user is a 422 on that field."""
    post = await service.create_post(posts, users, data)
    response.headers["Location"] = request.app.url_path_for("get_post", post_id=str(post.id))
    return PostPublic.of(post)


@router.get("")
async def list_posts(
    posts: PostRepositoryDep,
    page: PageRequestDep,
    author_id: Annotated[uuid.UUID | None, Query(description="only this author's posts")] = None,
) -> Page[PostPublic]:
    """Posts newest first, each with its author; ``next_cursor`` fetches the next page."""
    items, next_cursor = await service.list_posts(posts, page, author_id)
    return Page(items=[PostPublic.of(post) for post in items], next_cursor=next_cursor)


@router.get("/{post_id}", responses=_NOT_FOUND)
async def get_post(post_id: uuid.UUID, posts: PostRepositoryDep) -> PostPublic:
    return PostPublic.of(await service.get_post(posts, post_id))


@router.patch("/{post_id}", responses=_NOT_FOUND)
async def update_post(post_id: uuid.UUID, data: PostUpdate, posts: PostRepositoryDep) -> PostPublic:
    """Change the title and/or the body; ``updated_at`` moves only when something is given."""
    return PostPublic.of(await service.update_post(posts, post_id, data))


@router.delete("/{post_id}", status_code=204, responses=_NOT_FOUND)
async def delete_post(post_id: uuid.UUID, posts: PostRepositoryDep) -> None:
    await service.delete_post(posts, post_id)
