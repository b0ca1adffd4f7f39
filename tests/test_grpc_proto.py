"""The gRPC contract file (DESIGN §3 "API styles"): one source, both trees, lint-clean, compatible.

The .proto is rendered from template/shared/grpc/ into both trees, so both ship the same bytes.
`buf lint` checks it with the rendered buf.yaml; `buf breaking` checks it against the files
as last released (tests/proto_released/, one render per variant of the answers, copied there
when a release changes the file): a change that would
break a client of the released service fails here, before a release ships it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FULL, ROOT, render
from pytest_copie.plugin import Copie
from toolchains import node_modules, run

PROTO = Path("proto/my_service/v1/service.proto")
RELEASED = ROOT / "tests" / "proto_released"
# The answers that change the file: auth (GetMe, UpdateMe, no author_id) and websocket (WatchPosts).
VARIANTS = {
    "with-auth-and-websocket": (FULL, ("rest", "grpc", "websocket")),
    "without-auth": (("api",), ("rest", "grpc")),
}


def buf(*arguments: str, cwd: Path) -> str:
    """The buf CLI the Express renders pin (@bufbuild/buf ships its binary in the package)."""
    return run([str(node_modules() / ".bin" / "buf"), *arguments], cwd=cwd)


@pytest.fixture(params=list(VARIANTS), scope="module")
def renders(request: pytest.FixtureRequest, copie_session: Copie) -> tuple[str, dict[str, Path]]:
    """Both frameworks rendered with one variant's answers."""
    tasks, styles = VARIANTS[request.param]
    projects = {
        framework: render(copie_session, framework=framework, tasks=list(tasks), api_styles=list(styles))
        for framework in ("fastapi", "express")
    }
    return request.param, projects


def test_both_trees_ship_the_same_proto_and_buf_config(renders: tuple[str, dict[str, Path]]) -> None:
    _, projects = renders
    assert (projects["fastapi"] / PROTO).read_bytes() == (projects["express"] / PROTO).read_bytes()
    assert (projects["fastapi"] / "buf.yaml").read_bytes() == (projects["express"] / "buf.yaml").read_bytes()


def test_the_proto_is_lint_clean(renders: tuple[str, dict[str, Path]]) -> None:
    _, projects = renders
    buf("lint", cwd=projects["fastapi"])


def test_the_proto_keeps_compatible_with_the_released_one(renders: tuple[str, dict[str, Path]]) -> None:
    variant, projects = renders
    buf("breaking", "--against", str(RELEASED / variant), cwd=projects["fastapi"])


def test_a_breaking_change_is_caught(renders: tuple[str, dict[str, Path]], tmp_path: Path) -> None:
    """The check above can fail: a field renumbered is what buf breaking exists to refuse."""
    variant, projects = renders
    changed = tmp_path / "project"
    shutil.copytree(projects["fastapi"] / "proto", changed / "proto")
    shutil.copy(projects["fastapi"] / "buf.yaml", changed / "buf.yaml")
    proto = changed / PROTO
    text = proto.read_text()
    assert "  string title = 2;\n" in text
    proto.write_text(text.replace("  string title = 2;\n", "  string title = 7;\n", 1))
    with pytest.raises(AssertionError, match="title"):
        buf("breaking", "--against", str(RELEASED / variant), cwd=changed)
