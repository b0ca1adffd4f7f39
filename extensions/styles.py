"""The template's API styles: the doors a service opens onto its one service layer.

The one list the validators, the context hook, the tests and the skill runner read.
copier.yml writes its ``api_styles`` choices out (it cannot import Python), and
tests/test_answers.py checks them against this module.
"""

from __future__ import annotations

from collections.abc import Iterable

from extensions import choices
from extensions.choices import Choice as Style

STYLES: tuple[Style, ...] = (
    Style("rest", "JSON over HTTP under /api/v1, described by /openapi.json"),
    Style("graphql", "POST /graphql from one schema, with per-request DataLoaders"),
    Style("grpc", "gRPC on GRPC_PORT from one .proto, with health checking and reflection"),
    Style("websocket", "live post events over WebSocket at /ws/v1/events, across instances"),
)
# In this order Copier records the answer.
NAMES: tuple[str, ...] = tuple(style.name for style in STYLES)
# REST is the door every other style mirrors: the one style no answer may leave out.
REQUIRED = "rest"
OFFERED: tuple[str, ...] = tuple(style.name for style in STYLES if style.offered)
# The styles besides REST; each is a ``use_<name>`` flag in the render context and, when
# chosen, a folder of the service like a task's.
OPTIONAL: tuple[str, ...] = tuple(name for name in NAMES if name != REQUIRED)


def ordered(chosen: Iterable[str]) -> tuple[str, ...]:
    """The chosen styles in answer order, unknown names dropped."""
    present = set(chosen)
    return tuple(name for name in NAMES if name in present)


def not_offered_message(name: str) -> str:
    """Why a listed style cannot be chosen yet (Copier shows it beside the choice, and as the error)."""
    return choices.not_offered_message("api_styles", name, STYLES)
