"""DataLoaders: what one request's resolvers ask for, fetched together.

A loader lives in one request's context and dies with it: a loader shared by requests
would hand one caller's cached rows to another, and its futures belong to one event loop.
"""

from aiodataloader import DataLoader
from fastapi import Request

from ..posts.repository import Post
from .storage import AuthorPage, pages_of_authors


def author_pages_loader(request: Request) -> DataLoader[AuthorPage, list[Post]]:
    """``User.posts``: the pages of every user of a list in one storage call.

    Each page is ``limit + 1`` posts (the extra one says a next page exists).
    """

    async def load(pages: list[AuthorPage]) -> list[list[Post]]:
        return await pages_of_authors(request, pages)

    return DataLoader(load)
