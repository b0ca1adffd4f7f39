"""The best-practices catalogue behind each rendered project's best_practices.json.

Every practice names the task that brings it, the evidence in the rendered
project (``path::symbol``, ``{package}`` standing for package_name) and the
project's own tests that verify it, per framework. hooks/write_manifest.py
checks each claim against the render, so this file cannot drift from the
templates unnoticed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MANIFEST_NAME = "best_practices.json"

# Where a practice comes from: the seed's five best practices, its
# troubleshooting table, or the security items of DESIGN.md.
SEED = "seed best practice"
TROUBLESHOOTING = "seed troubleshooting"
SECURITY = "security"
OPERATIONS = "operations"


@dataclass(frozen=True)
class Practice:
    id: str
    title: str
    task: str
    source: str
    evidence: dict[str, tuple[str, ...]] = field(default_factory=dict)
    verified_by: dict[str, tuple[str, ...]] = field(default_factory=dict)


CATALOGUE: tuple[Practice, ...] = ()


def manifest_entries(*, framework: str, package: str, tasks: list[str]) -> list[dict[str, object]]:
    """The manifest for one render, in catalogue order (so byte-identical for equal answers)."""
    chosen = set(tasks)
    return [
        {
            "id": practice.id,
            "title": practice.title,
            "task": practice.task,
            "source": practice.source,
            "evidence": [claim.format(package=package) for claim in practice.evidence[framework]],
            "verified_by": [claim.format(package=package) for claim in practice.verified_by[framework]],
        }
        for practice in CATALOGUE
        if practice.task in chosen and framework in practice.evidence
    ]
