"""The collections, validators and indexes, as versioned steps: ``python -m <package> migrate``.

The steps are the modules of ``steps/``, applied in the order of their names; a task adds
its own (auth: ``step_0002_auth.py``). Each step runs once and is recorded in
``migrations`` (its name as ``_id``); every step is idempotent too (create or ``collMod``,
``createIndexes`` of an existing index), so a step interrupted before its record is simply
run again.
"""

import importlib
import logging
import pkgutil
from typing import Any

from pymongo import IndexModel
from pymongo.asynchronous.database import AsyncDatabase

from ..core.timestamps import utc_now
from . import steps
from .client import Document
from .schema import VALIDATION, Step


def _load_steps() -> tuple[Step, ...]:
    names = sorted(module.name for module in pkgutil.iter_modules(steps.__path__))
    loaded = []
    for name in names:
        step = importlib.import_module(f"{steps.__name__}.{name}").STEP
        if not isinstance(step, Step):
            msg = f"{name}.STEP is not a Step"
            raise TypeError(msg)
        loaded.append(step)
    return tuple(loaded)


STEPS: tuple[Step, ...] = _load_steps()
# What the steps leave in place: each collection's last validator, and all its indexes.
SCHEMAS: dict[str, dict[str, Any]] = {
    name: schema for step in STEPS for name, schema in step.schemas.items()
}


def _all_indexes() -> dict[str, list[IndexModel]]:
    merged: dict[str, list[IndexModel]] = {}
    for step in STEPS:
        for name, indexes in step.indexes.items():
            merged.setdefault(name, []).extend(indexes)
    return merged


INDEXES = _all_indexes()
# The collections holding a user's documents, and the field naming the user.
OWNED_BY_USER: dict[str, str] = {
    name: field for step in STEPS for name, field in step.owned_by_user.items()
}

logger = logging.getLogger(__name__)


async def validate(database: AsyncDatabase[Document], name: str, schema: dict[str, Any]) -> None:
    """Create the collection with its validator, or set the validator of an existing one."""
    validator = {"$jsonSchema": schema}
    exists = name in await database.list_collection_names(filter={"name": name})
    await database.command(
        {"collMod" if exists else "create": name, "validator": validator, **VALIDATION}
    )


async def apply(database: AsyncDatabase[Document], step: Step) -> None:
    for name, schema in step.schemas.items():
        await validate(database, name, schema)
    for name, indexes in step.indexes.items():
        await database[name].create_indexes(indexes)


async def migrate(database: AsyncDatabase[Document]) -> list[str]:
    """Apply each step not yet recorded, in order; the names of those applied."""
    records = database["migrations"]
    applied = []
    for step in STEPS:
        if await records.find_one({"_id": step.name}) is not None:
            continue
        await apply(database, step)
        # An upsert: two migrate runs at once both apply the step (harmless) and record it once.
        await records.update_one(
            {"_id": step.name}, {"$setOnInsert": {"applied_at": utc_now()}}, upsert=True
        )
        logger.info("migrated", extra={"step": step.name})
        applied.append(step.name)
    return applied
