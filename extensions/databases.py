"""Where a service with the database task keeps its data: the ``database`` question.

The one list the validator, the context hook and the tests read; copier.yml writes its
choices out (it cannot import Python), and tests/test_answers.py checks them against this.
"""

from __future__ import annotations

from extensions import choices
from extensions.choices import Choice

ENGINES: tuple[Choice, ...] = (
    Choice("postgresql", "PostgreSQL: transactions, migrations, keyset pages"),
    # Listed so that an answer naming it is told it is coming, not that it is a typo.
    Choice("mongodb", "MongoDB (a replica set): transactions, validators, keyset pages"),
)
NAMES: tuple[str, ...] = tuple(engine.name for engine in ENGINES)
DEFAULT = "postgresql"
OFFERED: tuple[str, ...] = tuple(engine.name for engine in ENGINES if engine.offered)


def not_offered_message(name: str) -> str:
    return choices.not_offered_message("database", name, ENGINES, multiselect=False)
