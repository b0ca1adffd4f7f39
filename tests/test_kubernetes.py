"""deploy/k8s/ of each render: kustomize renders both overlays, every document validates
strictly against Kubernetes 1.30 and the newest version kubernetes-validate bundles, and
checkov finds nothing beyond the render's written skip list; the manifests match the render.

All offline: kubectl's built-in kustomize, kubernetes-validate's bundled schemas (a dev
dependency), checkov (in its own venv: its pins conflict with this repository's pytest).
"""

from __future__ import annotations

import fcntl
import json
import re
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FRAMEWORKS, FULL, ROOT, render
from pytest_copie.plugin import Copie
from toolchains import UV, run

OVERLAYS = ("dev", "prod")
OLDEST_KUBERNETES = "1.30.0"
CHECKOV = "checkov==3.3.30"
TOOLS = ROOT / ".cache" / "tools"
# The settings an operator puts in the Secret; compose alone uses POSTGRES_PASSWORD, and the
# Deployment sets HOST and PORT itself.
SECRET_SETTINGS = {"DATABASE_URL", "REDIS_URL", "JWT_SECRET", "JWT_PRIVATE_KEY", "ADMIN_PASSWORD"}
NOT_CONFIGURED = {"POSTGRES_PASSWORD", "HOST", "PORT"}
# The full render and the smallest (no cache, no database), on a port of its own.
CASES = [
    pytest.param((framework, tasks, port), id=f"{framework}-{'+'.join(tasks)}")
    for framework in FRAMEWORKS
    for tasks, port in ((FULL, 8000), (("api",), 8123))
]


@dataclass(frozen=True)
class Rendered:
    project: Path
    tasks: tuple[str, ...]
    port: int
    files: dict[str, Path]  # overlay -> what kubectl kustomize printed
    documents: dict[str, list[dict[str, Any]]]

    def of_kind(self, overlay: str, kind: str) -> list[dict[str, Any]]:
        return [document for document in self.documents[overlay] if document["kind"] == kind]

    def one(self, overlay: str, kind: str) -> dict[str, Any]:
        found = self.of_kind(overlay, kind)
        assert len(found) == 1, f"{overlay}: {len(found)} {kind} objects"
        return found[0]


def kubectl() -> str:
    found = shutil.which("kubectl")
    if found is None:
        pytest.fail("kubectl not found: install kubectl (1.14 or newer, for its built-in kustomize) on PATH")
    return found


@pytest.fixture(scope="module", params=CASES)
def rendered(
    request: pytest.FixtureRequest, copie_session: Copie, tmp_path_factory: pytest.TempPathFactory
) -> Rendered:
    framework, tasks, port = request.param
    project = render(copie_session, framework=framework, tasks=list(tasks), http_port=port)
    out = tmp_path_factory.mktemp(f"k8s-{framework}")
    files, documents = {}, {}
    for overlay in OVERLAYS:
        text = run([kubectl(), "kustomize", str(project / "deploy/k8s/overlays" / overlay)], cwd=project)
        files[overlay] = out / f"{overlay}.yaml"
        files[overlay].write_text(text, encoding="utf-8")
        documents[overlay] = [document for document in yaml.safe_load_all(text) if document]
    return Rendered(project, tasks, port, files, documents)


def test_both_overlays_render_every_kind(rendered: Rendered) -> None:
    expected = {"ServiceAccount", "ConfigMap", "Service", "Deployment", "PodDisruptionBudget", "NetworkPolicy"}
    if {"cache", "database"} <= set(rendered.tasks):
        expected.add("HorizontalPodAutoscaler")
    if "database" in rendered.tasks:
        expected.add("Job")
    for overlay in OVERLAYS:
        kinds = [document["kind"] for document in rendered.documents[overlay]]
        assert sorted(kinds) == sorted(expected), overlay
        assert {document["metadata"]["namespace"] for document in rendered.documents[overlay]} == {
            f"my-service-{overlay}" if overlay == "dev" else "my-service"
        }


def test_every_document_validates_strictly_against_the_oldest_and_newest_kubernetes(rendered: Rendered) -> None:
    validate = str(Path(sys.executable).with_name("kubernetes-validate"))
    files = [str(path) for path in rendered.files.values()]
    newest = run([validate, "--help"], cwd=rendered.project)
    match = re.search(r"Defaults to (\d+\.\d+\.\d+)", " ".join(newest.split()))
    assert match, newest
    versions = (OLDEST_KUBERNETES, match.group(1))
    assert tuple(map(int, versions[1].split("."))) > tuple(map(int, versions[0].split(".")))
    output = run([validate, "--strict", *(f"-k{version}" for version in versions), *files], cwd=rendered.project)
    lines = output.splitlines()
    # An apiVersion without a bundled schema is only a WARN to the tool: a failure here.
    assert [line for line in lines if not line.startswith("INFO ")] == []
    documents = sum(len(found) for found in rendered.documents.values())
    assert len([line for line in lines if " passed for resource " in line]) == documents * len(versions)
    for version in versions:
        assert f"against version {version.rsplit('.', 1)[0]}" in output


@contextmanager
def locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # pytest-xdist workers build it once
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def checkov() -> Path:
    """checkov in a venv of its own under .cache/tools, built once (a few seconds with uv)."""
    home = TOOLS / CHECKOV.replace("==", "-")
    venv = home / "venv"
    with locked(home.with_suffix(".lock")):
        if not (home / "ready").exists():
            run([UV, "venv", "--quiet", "--allow-existing", "--python", sys.executable, str(venv)], cwd=ROOT)
            run([UV, "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), CHECKOV], cwd=ROOT)
            (home / "ready").touch()
    return venv / "bin" / "checkov"


def checkov_report(rendered: Rendered, *options: str) -> dict[str, Any]:
    folder = rendered.files["prod"].parent
    output = run([str(checkov()), *options, "--directory", str(folder), "--output", "json"], cwd=rendered.project)
    report = json.loads(output[output.index("{") :])
    assert isinstance(report, dict)
    return report


def reason_above(lines: list[str], item: str) -> str:
    """The comment lines right above ``item`` in a YAML file."""
    above = lines[: lines.index(item)]
    comment: list[str] = []
    while above and above[-1].lstrip().startswith("#"):
        comment.insert(0, above.pop())
    return "\n".join(comment)


def test_checkov_finds_nothing_beyond_the_written_skip_list(rendered: Rendered) -> None:
    config = rendered.project / "deploy/k8s/.checkov.yaml"
    lines = config.read_text(encoding="utf-8").splitlines()
    skips = [line.split("- ", 1)[1] for line in lines if re.fullmatch(r"\s+- CKV\w+", line)]
    for skip in skips:
        assert skip in reason_above(lines, f"  - {skip}"), f"{skip}: no reason in the comment above it"
    assert yaml.safe_load("\n".join(lines))["skip-check"] == skips

    documents = sum(len(found) for found in rendered.documents.values())
    everything = checkov_report(rendered, "--framework", "kubernetes", "--skip-download", "--soft-fail")
    failed = {check["check_id"] for check in everything["results"]["failed_checks"]}
    assert failed == set(skips), "every skipped check must be one that fails, and only those may fail"

    with_skips = checkov_report(rendered, "--config-file", str(config))
    summary = with_skips["summary"]
    assert (summary["failed"], summary["parsing_errors"]) == (0, 0)
    assert summary["resource_count"] >= documents  # checkov counts each pod template too
    assert summary["passed"] > 100


def test_no_secret_value_reaches_git(rendered: Rendered) -> None:
    env_example = (rendered.project / ".env.example").read_text(encoding="utf-8")
    names = {line.split("=", 1)[0] for line in env_example.splitlines() if re.match(r"[A-Z][A-Z0-9_]*=", line)}
    secrets = names & SECRET_SETTINGS
    for overlay in OVERLAYS:
        assert rendered.of_kind(overlay, "Secret") == []
        settings = rendered.one(overlay, "ConfigMap")["data"]
        assert set(settings) == names - SECRET_SETTINGS - NOT_CONFIGURED
        for kind in ("Deployment", "Job"):
            for workload in rendered.of_kind(overlay, kind):
                sources = workload["spec"]["template"]["spec"]["containers"][0]["envFrom"]
                refs = [source["secretRef"]["name"] for source in sources if "secretRef" in source]
                assert refs == (["my-service-secrets"] if secrets else [])
                assert sources[-1]["configMapRef"]["name"] == rendered.one(overlay, "ConfigMap")["metadata"]["name"]


def test_replicas_and_autoscaler_follow_shared_state(rendered: Rendered) -> None:
    shared = {"cache", "database"} <= set(rendered.tasks)
    text = (rendered.project / "deploy/k8s/base/deployment.yaml").read_text(encoding="utf-8")
    # The comments above the replica count, as one line of prose.
    prose = " ".join(line.strip().removeprefix("# ") for line in text.splitlines() if line.strip().startswith("#"))
    for overlay in OVERLAYS:
        deployment = rendered.one(overlay, "Deployment")
        autoscalers = rendered.of_kind(overlay, "HorizontalPodAutoscaler")
        if shared:
            assert "replicas" not in deployment["spec"]  # the autoscaler owns the count
            assert [hpa["spec"]["scaleTargetRef"]["name"] for hpa in autoscalers] == ["my-service"]
            assert autoscalers[0]["spec"]["minReplicas"] >= 2
        else:
            assert deployment["spec"]["replicas"] == 1
            assert autoscalers == []
            # The reasons, beside it: every task whose state would stay in each replica.
            assert "without the cache task (Redis) the rate-limit counters live in each process" in prose
            assert "without the database task users and posts live in each process's memory" in prose
        assert rendered.one(overlay, "PodDisruptionBudget")["spec"]["maxUnavailable"] == 1


def dockerfile_user(project: Path) -> int:
    """The uid of the Dockerfile's USER: created by useradd, or the node image's own user."""
    dockerfile = (project / "Dockerfile").read_text(encoding="utf-8")
    user = re.findall(r"^USER (\S+)$", dockerfile, re.MULTILINE)[-1]
    created = re.search(rf"useradd .*--uid (\d+) .*\b{user}$", dockerfile, re.MULTILINE)
    if created:
        return int(created.group(1))
    assert user == "node", dockerfile
    assert "\nFROM node:" in dockerfile, dockerfile
    return 1000  # the official node images' `node` user


def test_the_migration_job_exists_exactly_with_database_and_runs_compose_migrate(rendered: Rendered) -> None:
    compose = yaml.safe_load((rendered.project / "compose.yaml").read_text(encoding="utf-8"))
    for overlay in OVERLAYS:
        jobs = rendered.of_kind(overlay, "Job")
        if "database" not in rendered.tasks:
            assert jobs == []
            continue
        (job,) = jobs
        pod = job["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        assert container["command"] == compose["services"]["migrate"]["command"]
        (server,) = rendered.one(overlay, "Deployment")["spec"]["template"]["spec"]["containers"]
        assert container["image"] == server["image"]
        assert pod["restartPolicy"] == "Never"
        assert pod["securityContext"]["runAsUser"] == dockerfile_user(rendered.project)


def test_the_deployment_matches_the_render(rendered: Rendered) -> None:
    settings = (rendered.project / "deploy/k8s/base/settings.env").read_text(encoding="utf-8")
    shutdown = re.search(r"^SHUTDOWN_TIMEOUT_SECONDS=(\d+)$", settings, re.MULTILINE)
    assert shutdown, settings
    for overlay in OVERLAYS:
        pod = rendered.one(overlay, "Deployment")["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        assert container["image"] == "registry.example.com/my-service:0.1.0"
        assert container["ports"] == [{"name": "http", "containerPort": rendered.port, "protocol": "TCP"}]
        assert {"name": "PORT", "value": str(rendered.port)} in container["env"]
        assert container["livenessProbe"]["httpGet"] == {"path": "/health/live", "port": "http"}
        assert container["readinessProbe"]["httpGet"] == {"path": "/health/ready", "port": "http"}
        pause = container["lifecycle"]["preStop"]["sleep"]["seconds"]
        assert pod["terminationGracePeriodSeconds"] > int(shutdown.group(1)) + pause
        assert pod["automountServiceAccountToken"] is False
        assert pod["securityContext"] == {
            "runAsNonRoot": True,
            "runAsUser": dockerfile_user(rendered.project),
            "runAsGroup": dockerfile_user(rendered.project),
            "seccompProfile": {"type": "RuntimeDefault"},
        }
        assert container["securityContext"] == {
            "allowPrivilegeEscalation": False,
            "privileged": False,
            "readOnlyRootFilesystem": True,
            "capabilities": {"drop": ["ALL"]},
        }
        assert set(container["resources"]) == {"requests", "limits"}
        service = rendered.one(overlay, "Service")["spec"]
        assert service["ports"] == [{"name": "http", "port": rendered.port, "targetPort": "http", "protocol": "TCP"}]
        assert rendered.one(overlay, "ServiceAccount")["automountServiceAccountToken"] is False


def test_the_network_policy_opens_the_http_port_and_the_servers_ports(rendered: Rendered) -> None:
    expected = {53, *([5432] if "database" in rendered.tasks else []), *([6379] if "cache" in rendered.tasks else [])}
    for overlay in OVERLAYS:
        policy = rendered.one(overlay, "NetworkPolicy")["spec"]
        assert policy["podSelector"] == {"matchLabels": {"app.kubernetes.io/name": "my-service"}}
        assert policy["ingress"] == [{"ports": [{"port": "http", "protocol": "TCP"}]}]
        assert {port["port"] for rule in policy["egress"] for port in rule["ports"]} == expected


def test_both_trees_include_the_same_shared_manifests() -> None:
    trees = {framework: ROOT / "template" / framework / "deploy" for framework in FRAMEWORKS}
    contents = {
        framework: {
            path.relative_to(tree): path.read_text(encoding="utf-8") for path in tree.rglob("*") if path.is_file()
        }
        for framework, tree in trees.items()
    }
    assert contents["fastapi"] == contents["express"]
    for text in contents["fastapi"].values():
        assert re.fullmatch(r'\{% include "template/shared/k8s/[\w./-]+\.jinja" %\}', text)
