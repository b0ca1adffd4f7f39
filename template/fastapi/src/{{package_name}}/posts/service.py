"""Use cases of the posts domain; routes call these, storage sits behind the repositories."""

import dataclasses
import uuid

from ..core.pagination import PageRequest, split_page
from ..core.timestamps import utc_now
from ..users.repository import UserRepository
from .errors import PostNotFoundError, UnknownAuthorError
from .events import PostEvents
from .repository import Author, Post, PostRepository
from .schemas import PostCreate, PostUpdate


async def create_post(
    posts: PostRepository,
    users: UserRepository,
    author_id: uuid.UUID,
    data: PostCreate,
    events: PostEvents,
) -> Post:
    author = await users.get(author_id)
    if author is None:
        raise UnknownAuthorError
    now = utc_now()
    post = Post(
        id=uuid.uuid4(),
        author=Author(id=author.id, name=author.name),
        title=data.title,
        body=data.body,
        created_at=now,
        updated_at=now,
    )
    # The store checks the author again (a foreign key): it may be deleted meanwhile.
    await posts.add(post)
    events.created(post)
    return post


async def get_post(posts: PostRepository, post_id: uuid.UUID) -> Post:
    post = await posts.get(post_id)
    if post is None:
        raise PostNotFoundError
    return post


async def list_posts(
    posts: PostRepository, page: PageRequest, author_id: uuid.UUID | None
) -> tuple[list[Post], str | None]:
    rows = await posts.list_after(page.after, page.limit + 1, author_id=author_id)
    return split_page(rows, page.limit)


async def update_post(
    posts: PostRepository, post_id: uuid.UUID, data: PostUpdate, events: PostEvents
) -> Post:
    post = await get_post(posts, post_id)
    changes = data.model_dump(exclude_unset=True)
    if not changes:
        # Nothing changed: nothing to announce either.
        return post
    updated = dataclasses.replace(post, **changes, updated_at=utc_now())
    if not await posts.update(updated):
        raise PostNotFoundError
    events.updated(updated)
    return updated


async def delete_post(posts: PostRepository, post_id: uuid.UUID, events: PostEvents) -> None:
    author_id = await posts.delete(post_id)
    if author_id is None:
        raise PostNotFoundError
    events.deleted(post_id, author_id)
