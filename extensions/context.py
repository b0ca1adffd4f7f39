"""Derived values added to the render context.

Secrets are generated here, once per render, so they land only in the
rendered, git-ignored ``.env``: they are not questions, so Copier never writes
them to ``.copier-answers.yml``.
"""

from __future__ import annotations

import runpy
import secrets
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from copier_template_extensions import ContextHook
from jinja2 import Environment

# Copier loads this file by path, outside any package: its helper is run by path too.
_this_checkout: Callable[[], AbstractContextManager[None]] = runpy.run_path(
    str(Path(__file__).with_name("checkout.py"))
)["this_checkout"]

with _this_checkout():
    from extensions import auth_methods, databases, styles
    from extensions.tasks import OPTIONAL, one_replica_reasons


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
            # Several replicas (deploy/k8s: an autoscaler) only when no state stays in a process.
            context["one_replica_reasons"] = one_replica_reasons(tasks)
            context["scales_out"] = not context["one_replica_reasons"]
        chosen_styles = context.get("api_styles")
        if isinstance(chosen_styles, list):
            for style in styles.OPTIONAL:
                context[f"use_{style}"] = style in chosen_styles
        # One flag per engine, true only with the database task (the question is asked only then).
        engine = context.get("database")
        for name in databases.NAMES:
            context[f"use_{name}"] = context.get("use_database") is True and engine == name
        methods = context.get("auth_methods")
        if isinstance(methods, list):
            for method in auth_methods.OPTIONAL:
                context[f"use_{method}"] = method in methods and context.get("use_auth") is True
        if context.get("_copier_phase") == "render":
            context.update(self._secrets)
