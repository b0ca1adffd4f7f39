"""Shared fixtures: rendering through pytest-copie, and the services under test."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from pytest_copie.plugin import Copie

from extensions import auth_methods, databases
from extensions.tasks import allowed_subsets

ROOT = Path(__file__).resolve().parent.parent
# The contract suite needs a live server: the generated-project tests boot one
# and run it with CONTRACT_BASE_URL set (see tests/contract/conftest.py).
collect_ignore = [] if os.environ.get("CONTRACT_BASE_URL") else ["contract"]
TASK_SUBSETS = allowed_subsets()
FRAMEWORKS = ("fastapi", "express")
FULL = TASK_SUBSETS[-1]
ALL_STYLES = ("rest", "graphql", "grpc", "websocket")
# The renders the matrix checks (tests/test_render_matrix.py), per framework: every task
# subset with every style, and two REST-only ones (the full render and the smallest).
# New styles fold into these cases rather than multiplying them (CI time).
RENDERS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    *((subset, ALL_STYLES) for subset in TASK_SUBSETS),
    (FULL, ("rest",)),
    (("api",), ("rest",)),
)
# Each database engine besides PostgreSQL, with every task and style it serves so far
# (extensions/databases.py): one more render per framework in the matrix and in the runs, and
# the smallest with a database beside it (ENGINE_RUNS).
ENGINE_RENDERS: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...] = tuple(
    (databases.reach(engine, "tasks", TASK_SUBSETS[-1]), databases.reach(engine, "api_styles", ALL_STYLES), engine)
    for engine in databases.OFFERED
    if engine != databases.DEFAULT
)
# The smallest render with a database runs on each other engine instead of PostgreSQL: every
# PostgreSQL run below holds its code and more.
SMALLEST_WITH_DATABASE = ("api", "database")
# The renders whose own tests run and whose server the contract suite probes
# (tests/test_generated_projects.py), on PostgreSQL: every subset, each with every style but
# two with REST and WebSocket alone (the smallest, and auth with cache: WebSocket without
# GraphQL), and the full render with REST alone; then ENGINE_RUNS. Each style is a folder of
# its own, and the matrix above type-checks every subset with every style, so the runs need
# not repeat each combination.
LEAN_STYLES = ("rest", "websocket")
LEAN_SUBSETS = (("api",), ("api", "database", "auth", "cache"))
RUNS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    *(
        (subset, LEAN_STYLES if subset in LEAN_SUBSETS else ALL_STYLES)
        for subset in TASK_SUBSETS
        if subset != SMALLEST_WITH_DATABASE
    ),
    (FULL, ("rest",)),
)
ENGINE_RUNS: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...] = (
    *ENGINE_RENDERS,
    *((SMALLEST_WITH_DATABASE, ("rest",), engine) for *_, engine in ENGINE_RENDERS),
)


def sign_in_methods(tasks: tuple[str, ...], styles: tuple[str, ...]) -> tuple[str, ...]:
    """OAuth folds into the renders with auth and every style (with and without cache)."""
    if "auth" in tasks and styles == ALL_STYLES and "oauth" in auth_methods.OFFERED:
        return ("jwt", "oauth")
    return ("jwt",)


def render(copie: Copie, **answers: object) -> Path:
    """Render the template with these answers; fail the test with Copier's own error otherwise."""
    result = copie.copy(extra_answers=answers)
    if result.exit_code != 0:
        pytest.fail(f"render failed for {answers}: {result.exception!r}")
    project = result.project_dir
    assert isinstance(project, Path)
    return project


@pytest.fixture(scope="session")
def service_urls() -> dict[str, str]:
    """The real PostgreSQL (superuser) and Redis that scripts/test starts or was given."""
    missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
    if missing:
        pytest.fail(f"{' and '.join(missing)} not set: run the tests through scripts/test, which starts them.")
    return {"DATABASE_URL": os.environ["DATABASE_URL"], "REDIS_URL": os.environ["REDIS_URL"]}


@pytest.fixture(scope="session")
def mongodb_url() -> str:
    """The MongoDB replica set (SecantusDB unless MONGODB_URL names another) scripts/test starts."""
    url = os.environ.get("MONGODB_URL")
    if not url:
        pytest.fail("MONGODB_URL not set: run the tests through scripts/test, which starts a server.")
    return url


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working and temporary directory, to prove what a run leaves behind."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.chdir(scratch)
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    return scratch


@pytest.fixture
def releases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary template repository tagged 0.1.0 and 0.2.0 (tests/releases.py), with the git
    identity the update tests' commits need."""
    from releases import make_releases, set_git_identity  # noqa: PLC0415  (only the update tests need git)

    set_git_identity(monkeypatch)
    return make_releases(tmp_path)
