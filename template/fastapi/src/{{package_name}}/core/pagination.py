"""Keyset pagination shared by every list endpoint: page parameters, cursors, the page body.

Lists are ordered newest first by ``(created_at, id)``, both descending. A cursor is the
sort key of the last item of a page, as URL-safe base64 (no padding) of the JSON
``["<created_at>", "<id>"]``; the next page holds the items strictly after that key, so
rows inserted meanwhile never shift a page (no duplicates, no gaps). Clients treat the
cursor as opaque.
"""

import base64
import binascii
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Generic, Protocol, TypeVar

from fastapi import Depends, Query
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel

from .timestamps import format_timestamp, parse_timestamp

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


@dataclass(frozen=True, slots=True)
class Cursor:
    """The sort key of the last item a client has seen."""

    created_at: datetime
    id: uuid.UUID


def encode_cursor(created_at: datetime, item_id: uuid.UUID) -> str:
    key = json.dumps([format_timestamp(created_at), str(item_id)], separators=(",", ":"))
    return base64.urlsafe_b64encode(key.encode()).rstrip(b"=").decode()


def decode_cursor(text: str) -> Cursor:
    """The cursor ``encode_cursor`` made; anything else raises ValueError."""
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        key = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        msg = "not a cursor this service issued"
        raise ValueError(msg) from exc
    match key:
        case [str(created_at), str(item_id)]:
            return Cursor(parse_timestamp(created_at), uuid.UUID(item_id))
        case _:
            msg = "not a cursor this service issued"
            raise ValueError(msg)


@dataclass(frozen=True, slots=True)
class PageRequest:
    limit: int
    after: Cursor | None


async def page_request(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None, Query(description="next_cursor of the previous page; omit for the first")
    ] = None,
) -> PageRequest:
    """Read ``limit`` and ``cursor``; a cursor that does not decode is a 422 on that parameter.

    ``async`` although it never awaits: FastAPI runs a plain ``def`` dependency in a thread.
    """
    if cursor is None:
        return PageRequest(limit, None)
    try:
        return PageRequest(limit, decode_cursor(cursor))
    except ValueError:
        error = {"loc": ("query", "cursor"), "msg": "Invalid cursor", "type": "value_error"}
        raise RequestValidationError([error]) from None


PageRequestDep = Annotated[PageRequest, Depends(page_request)]


class Keyed(Protocol):
    """Anything listed by keyset: it has the two parts of the sort key."""

    @property
    def created_at(self) -> datetime: ...

    @property
    def id(self) -> uuid.UUID: ...


KeyedT = TypeVar("KeyedT", bound=Keyed)
ItemT = TypeVar("ItemT")


def split_page(rows: Sequence[KeyedT], limit: int) -> tuple[list[KeyedT], str | None]:
    """Repositories fetch ``limit + 1`` rows: the extra one only says a next page exists."""
    page = list(rows[:limit])
    if len(rows) <= limit or not page:
        return page, None
    return page, encode_cursor(page[-1].created_at, page[-1].id)


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT]
    next_cursor: str | None
