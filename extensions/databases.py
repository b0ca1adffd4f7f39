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
# What each engine works with so far, by question; a question left out, every answer. MongoDB
# grows one task, style or sign-in method at a time (issue 21): an answer beyond this is
# refused, saying what to drop.
REACH: dict[str, dict[str, tuple[str, ...]]] = {
    "mongodb": {"api_styles": ("rest",), "auth_methods": ("jwt",)},
}


def not_offered_message(name: str) -> str:
    return choices.not_offered_message("database", name, ENGINES, multiselect=False)


def reach(name: str, question: str, every: Sequence[str]) -> tuple[str, ...]:
    """The answers of ``question`` that engine ``name`` works with so far (of ``every``)."""
    return REACH.get(name, {}).get(question, tuple(every))


def reach_message(name: str, **answers: Sequence[str]) -> str:
    """Why ``name`` cannot serve these answers (by question) yet; empty when it can."""
    for question, chosen in answers.items():
        served = reach(name, question, chosen)
        beyond = [answer for answer in chosen if answer not in served]
        if beyond:
            kept = "[" + ", ".join(answer for answer in chosen if answer in served) + "]"
            return (
                f"database: {name!r} works so far with the {question} {', '.join(served)}; drop "
                f"{', '.join(beyond)} (for example --data {question}='{kept}') or choose --data database={DEFAULT}."
            )
    return ""
