"""The one string each list is ordered by: ``<created_at>|<id>``, newest first.

``2026-01-31T12:00:00.000Z|<uuid>`` sorts as the pair (created_at, id) does: the
timestamp has a fixed width and ids are lower-case hex. One field answers a page after a
cursor with one range of one descending index (``keyset < key``), where the two-field
``$or`` form would leave the query planner free to scan the collection.
"""

import uuid
from datetime import datetime
from typing import Any

from ..core.pagination import Cursor
from ..core.timestamps import format_timestamp


def keyset(created_at: datetime, item_id: uuid.UUID) -> str:
    return f"{format_timestamp(created_at)}|{item_id}"


def after(cursor: Cursor | None) -> dict[str, Any]:
    """The filter of the items strictly after ``cursor`` (all of them without one)."""
    return {} if cursor is None else {"keyset": {"$lt": keyset(cursor.created_at, cursor.id)}}


NEWEST_FIRST = [("keyset", -1)]
