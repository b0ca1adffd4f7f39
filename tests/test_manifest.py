"""best_practices.json: a catalogue kept as data, only what applies, every claim a definition, byte-stable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import ALL_STYLES, FRAMEWORKS, ROOT, render
from jsonschema import Draft202012Validator
from pytest_copie.plugin import Copie

from extensions import auth_methods, styles
from extensions.practices import (
    CATALOGUE,
    CATALOGUE_DIR,
    MANIFEST_NAME,
    CatalogueError,
    load_catalogue,
    manifest_entries,
)
from extensions.tasks import NAMES as TASK_NAMES
from hooks.definitions import names_in, python_definitions, typescript_definitions, typescript_tests
from hooks.write_manifest import main as write_manifest_main

SCHEMA = json.loads((ROOT / "practices" / "schema.json").read_text(encoding="utf-8"))
# The brief's five practices; connection pooling is met once per pool (PostgreSQL, Redis).
# What brings practices: every task, and every API style offered beyond REST.
NAMES = (
    *TASK_NAMES,
    *(method for method in auth_methods.OFFERED if method != auth_methods.REQUIRED),
    *(style for style in styles.OFFERED if style != styles.REQUIRED),
)
BRIEF = {
    "validate-inputs",
    "connection-pooling",
    "redis-pooling",
    "error-handling",
    "request-logging",
    "database-transactions",
}


def schema_problems(path: Path) -> list[str]:
    """Each way ``path`` breaks the schema, naming the file and the entry."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    problems = []
    for error in Draft202012Validator(SCHEMA).iter_errors(entries):
        index, *field = error.absolute_path
        entry = entries[index] if isinstance(index, int) else {}
        name = entry.get("id", "no id") if isinstance(entry, dict) else "not a mapping"
        at = ".".join(str(part) for part in field) or "entry"
        problems.append(f"{path.name}: entry {int(index) + 1} ({name}): {at}: {error.message}")
    return problems


def test_the_schema_is_a_valid_json_schema() -> None:
    Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("task", NAMES)
def test_each_task_and_style_has_a_catalogue_file_that_matches_the_schema(task: str) -> None:
    assert schema_problems(CATALOGUE_DIR / f"{task}.yml") == []


def test_catalogue_is_complete_for_both_frameworks() -> None:
    assert {practice.task for practice in CATALOGUE} == set(NAMES)
    assert {practice.id for practice in CATALOGUE if practice.brief} == BRIEF
    for practice in CATALOGUE:
        assert set(practice.evidence) == set(practice.verified_by) == set(FRAMEWORKS), practice.id


MALFORMED = """
- id: response-compression
  title: Responses of 1 KiB or more gzip-compressed
  why: Large responses reach clients faster.
  evidence:
    fastapi: ["src/{package}/app.py::create_app"]
    express: ["src/app.ts::GZIP_MINIMUM_BYTES = 1024"]
  verified_by:
    fastapi: [tests/test_app.py::test_gzip]
    express: [test/app.test.ts::gzips]
- id: no-why
  title: A practice without a reason
  sources: [seed best practice]
  evidence: {fastapi: [a.py::b], express: [a.ts::b]}
  verified_by: {fastapi: [a.py::test_b], express: [a.test.ts::b]}
"""


def test_a_malformed_entry_is_refused_naming_the_file_and_the_entry(tmp_path: Path) -> None:
    catalogue = tmp_path / "api.yml"
    catalogue.write_text(MALFORMED, encoding="utf-8")
    problems = "\n".join(schema_problems(catalogue))
    assert "api.yml: entry 1 (response-compression): evidence.express.0: 'src/app.ts::GZIP_MINIMUM" in problems
    assert "api.yml: entry 2 (no-why): entry: 'why' is a required property" in problems
    assert "api.yml: entry 2 (no-why): entry: Additional properties are not allowed ('sources'" in problems
    # Renders check what they need without jsonschema, and say where just as well.
    with pytest.raises(CatalogueError, match=r"^api\.yml: entry 2 \(no-why\): unknown field 'sources'$"):
        load_catalogue(tmp_path)


def test_a_file_named_for_no_task_or_style_is_refused(tmp_path: Path) -> None:
    (tmp_path / "queue.yml").write_text("[]\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"queue\.yml name no task or API style"):
        load_catalogue(tmp_path)


def test_an_engine_override_replaces_only_what_it_names() -> None:
    def practice(practice_id: str, framework: str, database: str) -> dict[str, object]:
        entries = manifest_entries(framework=framework, package="pkg", tasks=["database"], database=database)
        return next(entry for entry in entries if entry["id"] == practice_id)

    postgresql = practice("connection-pooling", "express", "postgresql")
    mongodb = practice("connection-pooling", "express", "mongodb")
    assert "MongoDB" in str(mongodb["title"])
    assert "PostgreSQL" in str(postgresql["title"])
    assert mongodb["evidence"] == ["src/database/engine.ts::createClient"]
    assert postgresql["evidence"] == ["src/database/engine.ts::createEngine"]
    # What the override does not name (here the tests behind pool exhaustion) stays the entry's own.
    on_mongodb, on_postgresql = (practice("pool-exhaustion-503", "fastapi", name) for name in ("mongodb", "postgresql"))
    assert on_mongodb["verified_by"] == on_postgresql["verified_by"]
    assert on_mongodb["evidence"] != on_postgresql["evidence"]


def test_an_engine_override_with_an_unknown_field_is_refused(tmp_path: Path) -> None:
    entry = yaml.safe_load(MALFORMED)[0]
    entry["evidence"]["express"] = ["src/app.ts::createApp"]
    entry["mongodb"] = {"claims": {}}
    (tmp_path / "api.yml").write_text(yaml.safe_dump([entry]), encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"entry 1 \(response-compression\): mongodb: unknown field 'claims'$"):
        load_catalogue(tmp_path)


PYTHON = """
import os
LIMIT = 3
TIMEOUT: float = 1.5
os.environ.setdefault("ONLY_CALLED", "x")  # MENTIONED
class Store:
    size: int = 10
    async def revoke(self) -> None:
        local = 1
def test_it() -> None: ...
"""


def test_python_definitions_are_defs_classes_and_assignments_never_mentions() -> None:
    names = python_definitions(PYTHON)
    assert {"LIMIT", "TIMEOUT", "Store", "size", "revoke", "local", "test_it"} <= names
    assert not {"os", "environ", "setdefault", "ONLY_CALLED", "MENTIONED"} & names


TYPESCRIPT = """
// function inComment() and const alsoInComment
export const GZIP_MINIMUM_BYTES = 1024;
export async function openDatabase(pool: Pool): Promise<void> {
  const shutdown = (signal: string): void => {};
  if (ready) {
  }
  app.use(compression({ threshold: 1 }));
}
export interface PostCache {}
export type Role = "user" | "admin";
enum Status {}
export class CacheAside {
  private async waitFor(attempt: Attempt, key: string): Promise<string | undefined> {
    return callLater(attempt);
  }
}
"""


def test_typescript_definitions_are_declarations_and_methods_never_calls_or_comments() -> None:
    names = typescript_definitions(TYPESCRIPT)
    expected = {"GZIP_MINIMUM_BYTES", "openDatabase", "shutdown", "PostCache", "Role", "Status", "CacheAside"}
    assert expected | {"waitFor"} <= names
    assert not {"inComment", "alsoInComment", "compression", "use", "callLater", "if"} & names


def test_vitest_titles_are_read_from_it_test_describe_and_each() -> None:
    source = """
describe("RBAC over HTTP", () => {
  it.each([
    ["GET /users", 403],
  ])("%s: user %i", async () => {});
  it(
    "answers a long title on its own line",
    async () => {},
  );
  test('single quotes', () => {});
});
const notATest = "just a string";
"""
    titles = typescript_tests(source)
    assert titles == {"RBAC over HTTP", "%s: user %i", "answers a long title on its own line", "single quotes"}


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_two_renders_give_byte_identical_manifests(copie: Copie, framework: str) -> None:
    first = render(copie, framework=framework)
    second = render(copie, framework=framework)
    assert (first / MANIFEST_NAME).read_bytes() == (second / MANIFEST_NAME).read_bytes()


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_manifest_lists_only_practices_of_the_chosen_tasks(copie: Copie, framework: str) -> None:
    full = json.loads((render(copie, framework=framework) / MANIFEST_NAME).read_text())
    lean = json.loads((render(copie, framework=framework, tasks=["api", "cache"]) / MANIFEST_NAME).read_text())
    assert {entry["task"] for entry in full} == set(TASK_NAMES)
    assert {entry["task"] for entry in lean} == {"api", "cache"}
    assert [entry for entry in full if entry["task"] in {"api", "cache"}] == lean
    for entry in full:
        assert list(entry) == ["id", "title", "task", "why", "brief", "evidence", "verified_by"]
    assert {entry["id"] for entry in full if entry["brief"]} == BRIEF


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_claim_in_the_manifest_names_a_definition_or_a_test_of_the_render(copie: Copie, framework: str) -> None:
    # Every task and every style: every practice of the catalogue is claimed.
    project = render(copie, framework=framework, api_styles=list(ALL_STYLES), auth_methods=list(auth_methods.OFFERED))
    manifest = json.loads((project / MANIFEST_NAME).read_text())
    assert {entry["task"] for entry in manifest} == set(NAMES)
    for entry in manifest:
        for key in ("evidence", "verified_by"):
            for claim in entry[key]:
                path, _, name = claim.partition("::")
                assert name in (names_in(project / path, tests=key == "verified_by") or ()), claim


def _rerun_hook(project: Path, framework: str) -> int:
    return write_manifest_main(
        [f"--framework={framework}", "--package=my_service", f"--tasks={','.join(TASK_NAMES)}", f"--project={project}"]
    )


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_manifest_hook_is_idempotent(copie: Copie, framework: str) -> None:
    project = render(copie, framework=framework)
    manifest = project / MANIFEST_NAME
    before = (manifest.read_bytes(), manifest.stat().st_mtime_ns)
    assert _rerun_hook(project, framework) == 0
    assert _rerun_hook(project, framework) == 0
    assert (manifest.read_bytes(), manifest.stat().st_mtime_ns) == before


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_manifest_hook_fails_loudly_when_evidence_is_missing(
    copie: Copie, framework: str, capsys: pytest.CaptureFixture[str]
) -> None:
    project = render(copie, framework=framework)
    first, *others = json.loads((project / MANIFEST_NAME).read_text())
    gone_path = first["evidence"][0].split("::")[0]
    second = next(entry for entry in others if not entry["evidence"][0].startswith(f"{gone_path}::"))
    (project / gone_path).unlink()
    # The second practice's first name stays in its file as a comment only: a mention is not a definition.
    renamed_path, _, name = second["evidence"][0].partition("::")
    renamed = project / renamed_path
    comment = "#" if renamed.suffix == ".py" else "//"
    renamed.write_text(renamed.read_text().replace(name, f"{name}_renamed") + f"{comment} {name}\n")
    (project / MANIFEST_NAME).unlink()
    assert _rerun_hook(project, framework) == 1
    error = capsys.readouterr().err
    assert f"{first['id']}: {gone_path} was not rendered" in error
    assert f"{second['id']}: {renamed_path} defines no {name!r}" in error
    assert not (project / MANIFEST_NAME).exists()
