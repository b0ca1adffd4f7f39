"""Commands a task adds to ``python -m <package>``, beside ``serve``."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from ..settings import Settings


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    # Positional arguments, by name; secrets never: arguments show up in `ps` and history.
    arguments: tuple[str, ...]
    # Runs with the loaded settings and the parsed arguments; returns the exit status.
    run: "Callable[[Settings, argparse.Namespace], int]"
    # Runs instead, loading only the settings it needs (a migrate job holds no app secrets).
    alone: "Callable[[], int] | None" = None
