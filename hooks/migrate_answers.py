"""Carry a project's .copier-answers.yml across renamed and removed questions.

Copier runs this before every update (``_migrations`` in copier.yml, stage
"before") with the project's old and new template versions. Each entry of
CHANGES applies when the update crosses its version. Safe to run any number
of times: a rename happens only while the old key is present and the new one
is not, and removing a missing key does nothing.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from packaging.version import InvalidVersion, Version


@dataclass(frozen=True)
class AnswerChange:
    """Questions renamed (old -> new) or removed in the release ``version``."""

    version: str
    renamed: dict[str, str] = field(default_factory=dict)
    removed: tuple[str, ...] = ()


# Oldest first. Add an entry in the release that renames or removes a question,
# and say so under "Upgrading" in CHANGELOG.md.
CHANGES: tuple[AnswerChange, ...] = ()


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def applicable(changes: tuple[AnswerChange, ...], old: str, new: str) -> list[AnswerChange]:
    """The changes an update from ``old`` to ``new`` crosses (old < version <= new)."""
    start, end = _version(old), _version(new)
    if start is None or end is None:
        return []
    return [change for change in changes if start < Version(change.version) <= end]


def migrate(answers: dict[str, object], changes: list[AnswerChange]) -> dict[str, object]:
    migrated = dict(answers)
    for change in changes:
        for old, new in change.renamed.items():
            if old in migrated and new not in migrated:
                migrated[new] = migrated.pop(old)
        for name in change.removed:
            migrated.pop(name, None)
    return migrated


def main(argv: list[str] | None = None, changes: tuple[AnswerChange, ...] = CHANGES) -> int:
    parser = argparse.ArgumentParser(description="Migrate .copier-answers.yml across template releases.")
    parser.add_argument("--from", dest="old", required=True, help="template version the project was made from")
    parser.add_argument("--to", dest="new", required=True, help="template version being applied")
    parser.add_argument("--answers-file", type=Path, default=Path(".copier-answers.yml"))
    args = parser.parse_args(argv)
    crossed = applicable(changes, args.old, args.new)
    if not crossed:
        return 0
    text = args.answers_file.read_text(encoding="utf-8")
    answers = yaml.safe_load(text) or {}
    migrated = migrate(answers, crossed)
    if migrated != answers:
        header = "".join(line + "\n" for line in text.splitlines() if line.startswith("#"))
        body = yaml.safe_dump(migrated, sort_keys=False, allow_unicode=True)
        args.answers_file.write_text(header + body, encoding="utf-8")
        for change in crossed:
            renamed, removed = change.renamed or "-", change.removed or "-"
            print(f"answers migrated to {change.version}: renamed {renamed}, removed {removed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
