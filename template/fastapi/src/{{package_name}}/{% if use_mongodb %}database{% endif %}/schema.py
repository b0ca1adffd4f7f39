"""The pieces every migrate step is written with: the schema types and the step itself."""

from dataclasses import dataclass, field
from typing import Any

from pymongo import IndexModel

# Emails compare as a person reads them: the unique index ignores case.
CASE_INSENSITIVE = {"locale": "en", "strength": 2}
STRING = {"bsonType": "string"}
DATE = {"bsonType": "date"}
# A document that breaks its collection's schema is refused, whoever writes it.
VALIDATION = {"validationLevel": "strict", "validationAction": "error"}


def text(max_length: int, min_length: int = 0) -> dict[str, Any]:
    return {"bsonType": "string", "minLength": min_length, "maxLength": max_length}


@dataclass(frozen=True)
class Step:
    """One migrate step: the validators it sets and the indexes it creates, by collection.

    ``owned_by_user`` names, for each collection, the field holding a user's id: deleting
    the user deletes those documents in the same transaction (``users.py``).
    """

    name: str
    schemas: dict[str, dict[str, Any]]
    indexes: dict[str, list[IndexModel]]
    owned_by_user: dict[str, str] = field(default_factory=dict)
