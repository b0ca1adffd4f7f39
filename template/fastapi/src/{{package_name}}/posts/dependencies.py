"""The posts repository of this request, from the service's storage (``storage.py``)."""

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from functools import partial
from typing import Annotated

from fastapi import Depends, Request

from ..storage import get_post_repository, read_posts
from .repository import PostRepository

PostRepositoryDep = Annotated[PostRepository, Depends(get_post_repository)]

# Opens the repository when called, for a read that the cache may answer without it.
PostReader = Callable[[], AbstractAsyncContextManager[PostRepository]]


async def get_post_reader(request: Request) -> PostReader:
    """A cache hit then opens no storage at all."""
    return partial(read_posts, request)


PostReaderDep = Annotated[PostReader, Depends(get_post_reader)]
