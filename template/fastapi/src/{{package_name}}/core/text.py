"""Text fields: a length range, and never NUL (U+0000), which PostgreSQL cannot store.

Without the NUL rule such input reaches the database and fails there as a 500; with
it, it is a 422 like any other invalid field (found by schemathesis). The pattern is
also in the OpenAPI document.
"""

from typing import Any

from pydantic import Field

NO_NUL = r"^[^\x00]*$"


def text(min_length: int, max_length: int) -> Any:  # noqa: ANN401  (pydantic's Field is typed Any)
    """Constraints for ``Annotated[str, ...]``: ``min_length`` to ``max_length`` characters."""
    return Field(min_length=min_length or None, max_length=max_length, pattern=NO_NUL)
