from __future__ import annotations

import httpx


def test_liveness_answers_ok(client: httpx.Client) -> None:
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"status": "ok"}


def test_readiness_reports_every_component_ok(client: httpx.Client) -> None:
    response = client.get("/health/ready")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"status", "checks"}
    assert body["status"] == "ok"
    assert set(body["checks"]) <= {"database", "redis"}
    assert set(body["checks"].values()) <= {"ok"}
