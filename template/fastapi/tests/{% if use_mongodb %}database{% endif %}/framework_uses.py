"""What only PyMongo reads, named for the dead-code check (vulture, see pyproject.toml).

Nothing imports this module and the block never runs: vulture reads it as uses, and
mypy checks that each name still exists.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.database.conftest import CommandCounter

    def _(counter: CommandCounter) -> object:
        return (
            # PyMongo calls every method of a command listener, whichever the test reads.
            counter.succeeded,
            counter.failed,
        )
