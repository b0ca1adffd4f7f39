"""Derived values added to the render context.

Secrets are generated here, once per render, so they land only in the
rendered, git-ignored ``.env``: they are not questions, so Copier never writes
them to ``.copier-answers.yml``.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from copier_template_extensions import ContextHook
from jinja2 import Environment


@contextmanager
def _this_checkout() -> Iterator[None]:
    """Import ``extensions.*`` from this file's checkout of the template.

    Copier loads this file by path, outside any package, and ``copier update`` renders the
    old release and the new one in one process: another checkout's ``extensions`` is set
    aside meanwhile, so each render reads its own registry. (The same block is in validation.py.)
    """
    root = Path(__file__).resolve().parent.parent
    loaded = sys.modules.get("extensions")
    other = loaded is not None and Path(loaded.__file__ or "").resolve().parent.parent != root
    stashed = {name: sys.modules.pop(name) for name in _loaded_extensions()} if other else {}
    sys.path.insert(0, str(root))
    try:
        yield
    finally:
        sys.path.remove(str(root))
        if other:
            for name in _loaded_extensions():
                del sys.modules[name]
            sys.modules.update(stashed)


def _loaded_extensions() -> list[str]:
    return [name for name in sys.modules if name == "extensions" or name.startswith("extensions.")]


with _this_checkout():
    from extensions.tasks import OPTIONAL


class DerivedValuesHook(ContextHook):
    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        # The hook runs for every rendered file; one render must use one secret.
        self._secrets = {
            "generated_jwt_secret": secrets.token_urlsafe(48),
            "generated_db_password": secrets.token_urlsafe(24),
        }

    def hook(self, context: dict[str, Any]) -> None:
        tasks = context.get("tasks")
        if isinstance(tasks, list):
            for task in OPTIONAL:
                context[f"use_{task}"] = task in tasks
        if context.get("_copier_phase") == "render":
            context.update(self._secrets)
