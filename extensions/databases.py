"""Where a service with the database task keeps its data: the ``database`` question.

The one list the validator, the context hook and the tests read; copier.yml writes its
choices out (it cannot import Python), and tests/test_answers.py checks them against this.
"""

from __future__ import annotations

from collections.abc import Sequence

from extensions import choices
from extensions.choices import Choice

ENGINES: tuple[Choice, ...] = (
    Choice("postgresql", "PostgreSQL: transactions, migrations, keyset pages"),
    Choice("mongodb", "MongoDB (a replica set): transactions, validators, keyset pages"),
)
NAMES: tuple[str, ...] = tuple(engine.name for engine in ENGINES)
DEFAULT = "postgresql"
OFFERED: tuple[str, ...] = tuple(engine.name for engine in ENGINES if engine.offered)
# The tasks and API styles each engine works with so far; absent, all of them. MongoDB grows
# one task or style at a time (issue 21): an answer beyond this is refused, saying what to drop.
REACH: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "mongodb": (("api", "database", "auth", "cache"), ("rest",)),
}


def not_offered_message(name: str) -> str:
    return choices.not_offered_message("database", name, ENGINES, multiselect=False)


def reach_message(name: str, tasks: Sequence[str], styles: Sequence[str]) -> str:
    """Why ``name`` cannot serve these tasks and styles yet; empty when it can."""
    if name not in REACH:
        return ""
    for question, chosen, reach in (("tasks", tasks, REACH[name][0]), ("api_styles", styles, REACH[name][1])):
        beyond = [answer for answer in chosen if answer not in reach]
        if beyond:
            kept = "[" + ", ".join(answer for answer in chosen if answer in reach) + "]"
            return (
                f"database: {name!r} works so far with the {question} {', '.join(reach)}; drop "
                f"{', '.join(beyond)} (for example --data {question}='{kept}') or choose --data database={DEFAULT}."
            )
    return ""
