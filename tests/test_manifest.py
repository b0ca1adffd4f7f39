"""best_practices.json: only what applies, every claim checked, byte-stable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FRAMEWORKS, render
from pytest_copie.plugin import Copie

from extensions.practices import CATALOGUE, MANIFEST_NAME
from extensions.tasks import NAMES
from hooks.write_manifest import main as write_manifest_main


def test_catalogue_is_complete_for_both_frameworks() -> None:
    ids = [practice.id for practice in CATALOGUE]
    assert len(ids) == len(set(ids)), "practice ids must be unique"
    for practice in CATALOGUE:
        assert practice.task in NAMES
        assert set(practice.evidence) == set(FRAMEWORKS), practice.id
        assert set(practice.verified_by) == set(FRAMEWORKS), practice.id
        for framework in FRAMEWORKS:
            assert practice.evidence[framework], (practice.id, framework)
            assert practice.verified_by[framework], (practice.id, framework)
    sources = {source for practice in CATALOGUE for source in practice.sources}
    assert {"seed best practice", "seed troubleshooting", "security"} <= sources


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_two_renders_give_byte_identical_manifests(copie: Copie, framework: str) -> None:
    first = render(copie, framework=framework)
    second = render(copie, framework=framework)
    assert (first / MANIFEST_NAME).read_bytes() == (second / MANIFEST_NAME).read_bytes()


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_manifest_lists_only_practices_of_the_chosen_tasks(copie: Copie, framework: str) -> None:
    full = json.loads((render(copie, framework=framework) / MANIFEST_NAME).read_text())
    lean = json.loads((render(copie, framework=framework, tasks=["api", "cache"]) / MANIFEST_NAME).read_text())
    assert {entry["task"] for entry in full} == {p.task for p in CATALOGUE}
    assert {entry["task"] for entry in lean} == {"api", "cache"}
    assert [entry for entry in full if entry["task"] in {"api", "cache"}] == lean
    for entry in full:
        assert set(entry) == {"id", "title", "task", "sources", "evidence", "verified_by"}


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_claim_in_the_manifest_exists_in_the_render(copie: Copie, framework: str) -> None:
    project = render(copie, framework=framework)
    for entry in json.loads((project / MANIFEST_NAME).read_text()):
        for claim in entry["evidence"] + entry["verified_by"]:
            path, _, symbol = claim.partition("::")
            assert symbol, f"{claim} names no symbol"
            assert symbol in (project / path).read_text(), claim


def _rerun_hook(project: Path, framework: str) -> int:
    return write_manifest_main(
        [f"--framework={framework}", "--package=my_service", f"--tasks={','.join(NAMES)}", f"--project={project}"]
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
    entry = json.loads((project / MANIFEST_NAME).read_text())[0]
    evidence_path = entry["evidence"][0].split("::")[0]
    (project / evidence_path).unlink()
    (project / MANIFEST_NAME).unlink()
    assert _rerun_hook(project, framework) == 1
    error = capsys.readouterr().err
    assert f"{entry['id']}: {evidence_path} was not rendered" in error
    assert not (project / MANIFEST_NAME).exists()
