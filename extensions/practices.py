"""The best-practices catalogue behind each rendered project's best_practices.json.

The catalogue is data: practices/<task>.yml, one file per task or API style, shaped by
practices/schema.json (the template's tests check every file against it). Copier
runs the manifest hook without jsonschema at hand, so this reader checks only what
it needs to build typed records, and names the file and the entry when it cannot.
hooks/write_manifest.py then checks every claim against the render.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from extensions import auth_methods, databases, styles
from extensions.tasks import NAMES as TASK_NAMES

# A catalogue file is named for what brings its practices: a task, a sign-in method beyond jwt,
# or an API style beyond REST.
NAMES: tuple[str, ...] = (*TASK_NAMES, *auth_methods.OPTIONAL, *styles.OPTIONAL)

MANIFEST_NAME = "best_practices.json"
CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "practices"
FRAMEWORKS = ("fastapi", "express")
# Stands for package_name in a FastAPI path: src/{package}/core/errors.py.
PACKAGE = "{package}"
# A practice's claims are the default engine's; an engine beyond it may override them, its
# title and its why, framework by framework, in a field of the entry named for the engine.
ENGINES: tuple[str, ...] = tuple(name for name in databases.NAMES if name != databases.DEFAULT)


class CatalogueError(Exception):
    """A catalogue file does not have the shape practices/schema.json describes."""


@dataclass(frozen=True)
class EngineOverride:
    """What a practice says on another database engine; a framework it does not name keeps the default's."""

    title: str | None
    why: str | None
    evidence: dict[str, tuple[str, ...]]
    verified_by: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Practice:
    id: str
    title: str
    task: str
    why: str
    brief: bool
    evidence: dict[str, tuple[str, ...]]
    verified_by: dict[str, tuple[str, ...]]
    engines: dict[str, EngineOverride]


def load_catalogue(directory: Path = CATALOGUE_DIR) -> tuple[Practice, ...]:
    """Every practice, file by file in the order of NAMES, each file in its own order."""
    strays = sorted(path.name for path in directory.glob("*.yml") if path.stem not in NAMES)
    if strays:
        raise CatalogueError(f"{directory}: {', '.join(strays)} name no task or API style; they are {', '.join(NAMES)}")
    practices: list[Practice] = []
    for task in NAMES:
        path = directory / f"{task}.yml"
        if path.is_file():
            practices.extend(_read(path, task))
    ids = [practice.id for practice in practices]
    duplicates = sorted({practice_id for practice_id in ids if ids.count(practice_id) > 1})
    if duplicates:
        raise CatalogueError(f"{directory}: practice ids used twice: {', '.join(duplicates)}")
    return tuple(practices)


def _read(path: Path, task: str) -> list[Practice]:
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CatalogueError(f"{path.name}: not valid YAML: {error}") from error
    if not isinstance(entries, list):
        raise CatalogueError(f"{path.name}: expected a list of practices")
    return [
        _practice(entry, task, f"{path.name}: entry {number} ({_name(entry)})")
        for number, entry in enumerate(entries, start=1)
    ]


def _name(entry: object) -> str:
    return str(entry.get("id", "no id")) if isinstance(entry, dict) else "not a mapping"


def _practice(entry: Any, task: str, where: str) -> Practice:  # noqa: ANN401  (YAML gives untyped data)
    if not isinstance(entry, dict):
        raise CatalogueError(f"{where}: expected a mapping")
    unknown = sorted(set(entry) - {"id", "title", "why", "brief", "evidence", "verified_by", *ENGINES})
    if unknown:
        raise CatalogueError(f"{where}: unknown field {unknown[0]!r}")
    brief = entry.get("brief", False)
    if not isinstance(brief, bool):
        raise CatalogueError(f"{where}: brief must be true or false")
    return Practice(
        id=_text(entry, "id", where),
        title=_text(entry, "title", where),
        task=task,
        why=_text(entry, "why", where),
        brief=brief,
        evidence=_claims(entry, "evidence", where),
        verified_by=_claims(entry, "verified_by", where),
        engines={engine: _override(entry[engine], f"{where}: {engine}") for engine in ENGINES if engine in entry},
    )


def _override(value: Any, where: str) -> EngineOverride:  # noqa: ANN401  (YAML gives untyped data)
    if not isinstance(value, dict):
        raise CatalogueError(f"{where}: expected a mapping")
    unknown = sorted(set(value) - {"title", "why", "evidence", "verified_by"})
    if unknown:
        raise CatalogueError(f"{where}: unknown field {unknown[0]!r}")
    texts = {key: _text(value, key, where) if key in value else None for key in ("title", "why")}
    return EngineOverride(
        title=texts["title"],
        why=texts["why"],
        evidence=_claims(value, "evidence", where, partial=True),
        verified_by=_claims(value, "verified_by", where, partial=True),
    )


def _text(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CatalogueError(f"{where}: {key} must be a non-empty string")
    return value


def _claims(entry: dict[str, Any], key: str, where: str, *, partial: bool = False) -> dict[str, tuple[str, ...]]:
    value = entry.get(key)
    if partial and value is None:
        return {}
    if not isinstance(value, dict) or (
        not set(value) <= set(FRAMEWORKS) if partial else sorted(value) != sorted(FRAMEWORKS)
    ):
        exactly = "only" if partial else "exactly"
        raise CatalogueError(f"{where}: {key} must list claims for {exactly} {' and '.join(FRAMEWORKS)}")
    claims: dict[str, tuple[str, ...]] = {}
    for framework in (framework for framework in FRAMEWORKS if framework in value):
        items = value[framework]
        if not isinstance(items, list) or not items or not all(_is_claim(item) for item in items):
            raise CatalogueError(f"{where}: {key}.{framework} must be a non-empty list of path::name")
        claims[framework] = tuple(items)
    return claims


def _is_claim(item: object) -> bool:
    return isinstance(item, str) and all(item.partition("::")[::2])


CATALOGUE: tuple[Practice, ...] = load_catalogue()


def manifest_entries(
    *, framework: str, package: str, tasks: list[str], database: str = databases.DEFAULT
) -> list[dict[str, object]]:
    """The manifest for one render, in catalogue order (so byte-identical for equal answers)."""
    chosen = set(tasks)
    return [_entry(practice, framework, package, database) for practice in CATALOGUE if practice.task in chosen]


def _entry(practice: Practice, framework: str, package: str, database: str) -> dict[str, object]:
    override = practice.engines.get(database)
    evidence, verified_by = practice.evidence[framework], practice.verified_by[framework]
    if override is not None:
        evidence = override.evidence.get(framework, evidence)
        verified_by = override.verified_by.get(framework, verified_by)
    return {
        "id": practice.id,
        "title": (override and override.title) or practice.title,
        "task": practice.task,
        "why": (override and override.why) or practice.why,
        "brief": practice.brief,
        "evidence": [claim.replace(PACKAGE, package) for claim in evidence],
        "verified_by": [claim.replace(PACKAGE, package) for claim in verified_by],
    }
