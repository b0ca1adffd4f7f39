"""Write best_practices.json into the rendered project (run by Copier as a _task).

The manifest lists the practices of the catalogue (practices/<task>.yml) that
apply to the chosen tasks, each with the evidence in the rendered files and the
tests that verify it. Every claim is checked against what was rendered: the file
must exist and define the name (hooks/definitions.py), or hold the test; a
missing one fails the render with a message naming it.

Deterministic and idempotent: the same answers give the same bytes, and an
unchanged manifest is not rewritten (Copier runs _tasks several times per update).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

TEMPLATE_ROOT = Path(__file__).resolve().parent.parent
if str(TEMPLATE_ROOT) not in sys.path:
    sys.path.insert(0, str(TEMPLATE_ROOT))

from extensions.practices import MANIFEST_NAME, manifest_entries  # noqa: E402  (needs the path above)
from hooks.definitions import names_in  # noqa: E402  (needs the path above)


class ManifestError(Exception):
    """Evidence claimed by the catalogue is missing from the render."""


def missing_evidence(project: Path, entries: list[dict[str, object]]) -> list[str]:
    problems: list[str] = []
    for entry in entries:
        for key, tests in (("evidence", False), ("verified_by", True)):
            problems.extend(
                f"{entry['id']}: {problem}" for problem in _unmet(project, _as_strs(entry[key]), tests=tests)
            )
    return problems


def _unmet(project: Path, claims: list[str], *, tests: bool) -> list[str]:
    problems: list[str] = []
    for claim in claims:
        path, _, name = claim.partition("::")
        file = project / path
        if not file.is_file():
            problems.append(f"{path} was not rendered")
            continue
        names = names_in(file, tests=tests)
        if names is None:
            problems.append(f"{path}: no reader for this kind of file")
        elif name not in names:
            problems.append(f"{path} {'has no test' if tests else 'defines no'} {name!r}")
    return problems


def _as_strs(value: object) -> list[str]:
    assert isinstance(value, list)
    return [str(item) for item in value]


def write_manifest(project: Path, framework: str, package: str, tasks: list[str], database: str = "postgresql") -> Path:
    entries = manifest_entries(framework=framework, package=package, tasks=tasks, database=database)
    problems = missing_evidence(project, entries)
    if problems:
        raise ManifestError(
            "best_practices.json: claims the rendered project does not back:\n  - "
            + "\n  - ".join(problems)
            + "\nThe template and its practices catalogue disagree; please report this."
        )
    target = project / MANIFEST_NAME
    content = json.dumps(entries, indent=2, ensure_ascii=False) + "\n"
    if not target.is_file() or target.read_text(encoding="utf-8") != content:
        target.write_text(content, encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--framework", required=True, choices=["fastapi", "express"])
    parser.add_argument("--package", required=True)
    parser.add_argument("--tasks", required=True, help="comma-separated chosen tasks")
    parser.add_argument("--styles", default="", help="comma-separated chosen API styles")
    parser.add_argument("--methods", default="", help="comma-separated chosen sign-in methods beyond jwt")
    parser.add_argument("--database", default="postgresql", help="the database engine (its claims, where they differ)")
    parser.add_argument("--project", type=Path, default=Path.cwd(), help="rendered project (default: cwd)")
    args = parser.parse_args(argv)
    # A method's and a style's practices are listed like a task's: the manifest says which one brings each.
    chosen = (*args.tasks.split(","), *args.methods.split(","), *args.styles.split(","))
    tasks = [name for name in chosen if name]
    try:
        write_manifest(args.project, args.framework, args.package, tasks, args.database)
    except ManifestError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
