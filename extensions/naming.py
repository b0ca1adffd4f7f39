"""Naming filters shared by copier.yml defaults and the templates.

kebab, snake and pascal all split on the same word boundaries, so
``"My API Service"`` becomes ``my-api-service``, ``my_api_service`` and
``MyApiService``.
"""

from __future__ import annotations

import re

from jinja2 import Environment
from jinja2.ext import Extension

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+")


def words(text: str) -> list[str]:
    """Split free text, camelCase and snake/kebab-case alike into lower-case words."""
    return [match.lower() for match in _WORD.findall(text)]


def kebab(text: str) -> str:
    return "-".join(words(text))


def snake(text: str) -> str:
    return "_".join(words(text))


def pascal(text: str) -> str:
    return "".join(word.capitalize() for word in words(text))


class NamingExtension(Extension):
    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters.update(kebab=kebab, snake=snake, pascal=pascal)
