"""A multiple-choice question's choices that may be listed before they are offered.

``api_styles``, ``auth_methods`` and ``database`` list every choice of the design from the start, so an
answer naming one not built yet is refused with a message that says so, not as a typo.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    name: str
    label: str  # what the question shows beside the name
    offered: bool = True  # False: listed, so answers can name it, but refused until it exists


def not_offered_message(question: str, name: str, choices: Iterable[Choice], *, multiselect: bool = True) -> str:
    """Why a listed choice cannot be chosen yet (Copier shows it beside the choice, and as the error)."""
    offered = [choice.name for choice in choices if choice.offered]
    example = f"'[{', '.join(offered)}]'" if multiselect else offered[0]
    return (
        f"{question}: {name!r} is not offered yet; choose from {', '.join(offered)} "
        f"(for example --data {question}={example})."
    )
