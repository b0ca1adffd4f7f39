"""copier update adds and removes tasks and API styles: their folders, their touch points in
shared files, and the project's tests pass afterwards (releases: tests/releases.py)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml
from releases import render_at, update_to
from toolchains import UV, run


@pytest.mark.parametrize(
    ("framework", "package"), [("fastapi", "src/my_service"), ("express", "src")], ids=["fastapi", "express"]
)
def test_removing_a_task_or_a_style_removes_its_files(
    releases: Path, tmp_path: Path, framework: str, package: str
) -> None:
    project = render_at(
        releases,
        tmp_path / "project",
        "0.2.0",
        framework=framework,
        tasks=["api", "database", "cache"],
        api_styles=["rest", "graphql", "grpc", "websocket"],
    )
    assert (project / package / "cache").is_dir()
    assert (project / package / "graphql" / "schema.graphql").is_file()
    assert (project / package / "websocket" / "events.schema.json").is_file()
    assert (project / "proto" / "my_service" / "v1" / "service.proto").is_file()
    update_to(project, "0.2.0", tasks=["api", "database"], api_styles=["rest"])
    for folder in ("cache", "graphql", "grpc", "websocket"):
        assert not (project / package / folder).exists(), folder
    assert not (project / "proto").exists()
    assert not (project / "buf.yaml").exists()
    # The one module that lists the folders no longer imports them.
    wiring = (project / package / ("tasks.py" if framework == "fastapi" else "wiring.ts")).read_text()
    for folder in ("cache", "graphql", "grpc", "websocket"):
        assert (f"from .{folder} import" if framework == "fastapi" else f"./{folder}/") not in wiring
    app_module = project / package / ("app.py" if framework == "fastapi" else "app.ts")
    assert "redis" not in app_module.read_text().lower()
    assert "redis" not in (project / "compose.yaml").read_text()
    for shared in (".env.example", "compose.yaml", "README.md"):
        text = (project / shared).read_text()
        # (The README still says which task to add for several instances: Redis is named there.)
        assert "REDIS_URL" not in text, shared
        assert "GRAPHQL_" not in text, shared
        assert "/graphql" not in text, shared
        assert "WS_" not in text, shared
        assert "/ws/v1" not in text, shared
        assert "GRPC_" not in text, shared
    manifest = json.loads((project / "best_practices.json").read_text())
    assert {entry["task"] for entry in manifest} == {"api", "database"}


@pytest.mark.services
@pytest.mark.parametrize("framework", ["fastapi", "express"])
def test_adding_a_task_and_a_style_through_update_adds_their_folders_and_passes_the_tests(
    releases: Path, tmp_path: Path, framework: str, service_urls: dict[str, str]
) -> None:
    project = render_at(releases, tmp_path / "project", "0.2.0", framework=framework, tasks=["api"])
    update_to(project, "0.2.0", tasks=["api", "database"], api_styles=["rest", "graphql", "grpc", "websocket"])
    package = project / ("src/my_service" if framework == "fastapi" else "src")
    assert (package / "graphql" / "schema.graphql").is_file()
    assert (project / "proto" / "my_service" / "v1" / "service.proto").is_file()
    assert "GRPC_PORT" in (project / ".env.example").read_text()
    assert (package / "websocket" / "events.schema.json").is_file()
    assert "GRAPHQL_MAX_DEPTH" in (project / ".env.example").read_text()
    assert "WS_PING_SECONDS" in (project / ".env.example").read_text()
    if framework == "fastapi":
        assert (project / "src/my_service/database/engine.py").is_file()
        assert "open_database" in (project / "src/my_service/database/lifespan.py").read_text()
        assert (project / "alembic.ini").is_file()
    else:
        assert (project / "src/database/engine.ts").is_file()
        assert "checkDatabase" in (project / "src/database/lifespan.ts").read_text()
        assert "databaseErrors" in (project / "src/database/lifespan.ts").read_text()
        assert '"migrate"' in (project / "package.json").read_text()
    assert "DATABASE_URL" in (project / ".env.example").read_text()
    database = f"cb_update_{framework}_{os.getpid()}"
    admin = service_urls["DATABASE_URL"]
    run(
        ["psql", admin, "-q", "-c", f'DROP DATABASE IF EXISTS "{database}"', "-c", f'CREATE DATABASE "{database}"'],
        cwd=tmp_path,
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "VIRTUAL_ENV"))}
    env["DATABASE_URL"] = admin.rsplit("/", 1)[0] + f"/{database}"
    env["REDIS_URL"] = service_urls["REDIS_URL"]
    try:
        if framework == "fastapi":
            run([UV, "venv", "--quiet", ".venv"], cwd=project)
            run([UV, "pip", "install", "--quiet", "--python", ".venv/bin/python", "-e", ".[dev]"], cwd=project)
            run([".venv/bin/alembic", "upgrade", "head"], cwd=project, env=env)
            output = run([".venv/bin/pytest", "-p", "no:cacheprovider"], cwd=project, env=env)
        else:
            run(["npm", "install", "--no-audit", "--no-fund", "--prefer-offline"], cwd=project)
            run(["npm", "run", "migrate"], cwd=project, env=env)
            output = run(["npm", "test"], cwd=project, env=env)
    finally:
        subprocess.run(["psql", admin, "-q", "-c", f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'], check=False)
    assert " passed" in output.lower()


MIGRATION_0004 = {
    "fastapi": "migrations/versions/0004_oauth.py",
    "express": "migrations/0004_oauth.sql",
}


@pytest.mark.services
@pytest.mark.parametrize("framework", ["fastapi", "express"])
def test_adding_oauth_to_a_project_with_auth_brings_migration_0004(
    releases: Path, tmp_path: Path, framework: str, service_urls: dict[str, str]
) -> None:
    tasks = ["api", "database", "auth"]
    project = render_at(releases, tmp_path / "project", "0.2.0", framework=framework, tasks=tasks, auth_methods=["jwt"])
    assert not (project / MIGRATION_0004[framework]).exists()
    update_to(project, "0.2.0", tasks=tasks, auth_methods=["jwt", "oauth"])
    assert (project / MIGRATION_0004[framework]).is_file()
    assert (project / ("src/my_service/oauth" if framework == "fastapi" else "src/oauth")).is_dir()
    assert "OAUTH_REDIRECT_ALLOWLIST" in (project / ".env.example").read_text()
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["auth_methods"] == ["jwt", "oauth"]
    database = f"cb_update_oauth_{framework}_{os.getpid()}"
    admin = service_urls["DATABASE_URL"]
    run(["psql", admin, "-q", "-c", f'CREATE DATABASE "{database}"'], cwd=tmp_path)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "VIRTUAL_ENV"))}
    env["DATABASE_URL"] = url = admin.rsplit("/", 1)[0] + f"/{database}"
    try:
        if framework == "fastapi":
            run([UV, "venv", "--quiet", ".venv"], cwd=project)
            run([UV, "pip", "install", "--quiet", "--python", ".venv/bin/python", "-e", "."], cwd=project)
            run([".venv/bin/alembic", "upgrade", "head"], cwd=project, env=env)
        else:
            run(["npm", "install", "--no-audit", "--no-fund", "--prefer-offline"], cwd=project)
            run(["npm", "run", "migrate"], cwd=project, env=env)
        tables = run(
            ["psql", url, "-A", "-t", "-c", "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"], cwd=tmp_path
        )
        assert {"identities", "login_codes", "oauth_states"} <= set(tables.split())
    finally:
        subprocess.run(["psql", admin, "-q", "-c", f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'], check=False)
