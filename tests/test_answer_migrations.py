"""Answer migrations (hooks/migrate_answers.py): an old release's answers file is rewritten
once, for the releases an update crosses, never overwriting an answer."""

from __future__ import annotations

from pathlib import Path

import yaml

from hooks.migrate_answers import AnswerChange, applicable, migrate
from hooks.migrate_answers import main as migrate_answers_main


def test_answers_of_an_old_release_migrate(tmp_path: Path) -> None:
    answers = tmp_path / ".copier-answers.yml"
    answers.write_text(
        "# Changes here will be overwritten by Copier; do not edit by hand.\n"
        "_commit: 0.1.0\n_src_path: gh:example/copier-backend\nauthor_email: a@example.com\n"
        "framework: fastapi\nlegacy_flag: true\n"
    )
    changes = (
        AnswerChange(version="0.2.0", renamed={"author_email": "contact_email"}),
        AnswerChange(version="0.3.0", removed=("legacy_flag",)),
        AnswerChange(version="0.9.0", renamed={"framework": "stack"}),
    )
    argv = ["--from=0.1.0", "--to=0.3.0", f"--answers-file={answers}"]
    assert migrate_answers_main(argv, changes) == 0
    migrated = answers.read_text()
    assert migrated.startswith("# Changes here will be overwritten by Copier")
    assert yaml.safe_load(migrated) == {
        "_commit": "0.1.0",
        "_src_path": "gh:example/copier-backend",
        "contact_email": "a@example.com",
        "framework": "fastapi",
    }
    # Copier runs migrations more than once per update: a second run changes nothing.
    assert migrate_answers_main(argv, changes) == 0
    assert answers.read_text() == migrated


def test_answer_migrations_apply_only_to_the_releases_an_update_crosses() -> None:
    changes = (AnswerChange("0.2.0", renamed={"a": "b"}), AnswerChange("0.3.0", removed=("c",)))
    assert [c.version for c in applicable(changes, "0.1.0", "0.3.0")] == ["0.2.0", "0.3.0"]
    assert [c.version for c in applicable(changes, "0.2.0", "0.3.0")] == ["0.3.0"]
    assert applicable(changes, "0.3.0", "0.3.0") == []
    assert applicable(changes, "not-a-version", "0.3.0") == []
    assert migrate({"a": 1, "b": 2}, list(changes)) == {"a": 1, "b": 2}, "never overwrite an answer"
