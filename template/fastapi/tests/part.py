"""What a task's tests add to the shared helpers, which compose every task's (``helpers.py``)."""

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from tests.helpers import TestServers


def _nothing() -> None:
    pass


async def _keep(_app: "FastAPI", _tables: tuple[str, ...]) -> None:
    pass


@dataclass(frozen=True)
class TestPart:
    __test__ = False  # not a test class, whatever pytest's name pattern says

    # The real servers its tests need: each variable, and what to set it to.
    required_servers: Mapping[str, str] = field(default_factory=dict)
    # The variables a real run of the service needs, with the test servers' values.
    environment: "Callable[[TestServers], dict[str, str]]" = lambda _servers: {}
    # Adapts the service to a test run, once before any test (the auth task makes hashing cheap).
    before_tests: Callable[[], None] = _nothing
    # Valid values of the variables it requires, for the settings tests.
    valid_environment: Mapping[str, str] = field(default_factory=dict)
    # Fields sign-up requires beyond email and name.
    sign_up: Mapping[str, str] = field(default_factory=dict)
    # Readiness checks of /health/ready.
    readiness_checks: tuple[str, ...] = ()
    # Its tables, emptied before each test.
    tables: tuple[str, ...] = ()
    # Brings storage to where the tests need it, once per run.
    prepare_storage: Callable[[], None] = _nothing
    # Empties every task's tables (the storage's part does).
    empty_tables: "Callable[[FastAPI, tuple[str, ...]], Awaitable[None]]" = _keep
