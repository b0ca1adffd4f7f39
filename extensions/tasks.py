"""The template's tasks: their names in answer order, their labels and the rules between them.

The one list the validators, the context hook, the tests, the benchmark and the
skill runner read. copier.yml cannot import Python, so its ``tasks`` choices are
written out there and tests/test_answers.py checks them against this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations


@dataclass(frozen=True)
class Task:
    name: str
    label: str  # what the question shows beside the name
    requires: tuple[str, ...] = ()  # tasks it cannot work without


TASKS: tuple[Task, ...] = (
    Task("api", "REST endpoints, errors, request ids, logging"),
    Task("database", "PostgreSQL or MongoDB, migrations, transactions"),
    Task("auth", "JWT access/refresh tokens, Argon2id, RBAC", requires=("database",)),
    Task("cache", "Redis cache, shared rate limits"),
    Task("optimize", "query budgets, ETags, compression", requires=("database",)),
)
# In this order Copier records the answer, and messages and renders list tasks.
NAMES: tuple[str, ...] = tuple(task.name for task in TASKS)
# Every service serves an API: the one task no answer may leave out.
REQUIRED = "api"
# The tasks an answer may leave out; each is a ``use_<name>`` flag in the render context.
OPTIONAL: tuple[str, ...] = tuple(name for name in NAMES if name != REQUIRED)
REQUIRES: dict[str, tuple[str, ...]] = {task.name: task.requires for task in TASKS if task.requires}
# Replicas of one service must share their state. Each of these tasks moves some state out of
# the process; without it, that state lives in each replica, and why that forbids a second one.
KEEPS_STATE_OUT: dict[str, str] = {
    "database": "without the database task users and posts live in each process's memory, so a "
    "second replica would serve other data",
    "cache": "without the cache task (Redis) the rate-limit counters live in each process, so a "
    "second replica would double every limit",
}
# The test matrix walks the subsets of each size in this order (cheapest service first:
# cache needs only Redis), which its cases' positions have always followed.
_MATRIX_ORDER: tuple[str, ...] = ("api", "cache", "database", "auth", "optimize")


def ordered(chosen: Iterable[str]) -> tuple[str, ...]:
    """The chosen tasks in answer order, unknown names dropped."""
    present = set(chosen)
    return tuple(name for name in NAMES if name in present)


def missing_requirements(chosen: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Each chosen task whose requirements are not all chosen, with the ones it lacks."""
    present = set(chosen)
    lacking = {name: tuple(need for need in REQUIRES.get(name, ()) if need not in present) for name in ordered(present)}
    return {name: needs for name, needs in lacking.items() if needs}


def closure(chosen: Iterable[str]) -> tuple[str, ...]:
    """The smallest allowed answer holding ``chosen``: the required task and every requirement added."""
    needed = {REQUIRED, *chosen}
    while missing := {need for needs in missing_requirements(needed).values() for need in needs}:
        needed |= missing
    return ordered(needed)


def one_replica_reasons(chosen: Iterable[str]) -> list[str]:
    """Why the service must run as one replica with these tasks; none when it may scale out."""
    present = set(chosen)
    return [reason for task, reason in KEEPS_STATE_OUT.items() if task not in present]


def is_allowed(chosen: Iterable[str]) -> bool:
    present = set(chosen)
    return REQUIRED in present and present <= set(NAMES) and not missing_requirements(present)


def allowed_subsets() -> tuple[tuple[str, ...], ...]:
    """Every answer the rules accept, in answer order: smallest first, then in matrix order."""
    walk = sorted(NAMES, key=_MATRIX_ORDER.index)  # a task missing from _MATRIX_ORDER fails here
    return tuple(
        ordered(subset) for size in range(1, len(walk) + 1) for subset in combinations(walk, size) if is_allowed(subset)
    )
