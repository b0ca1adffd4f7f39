import httpx

from tests.helpers import READINESS_CHECKS, make_app, running


async def test_live_answers_ok(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_lists_every_dependency_as_ok(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/ready")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": dict.fromkeys(READINESS_CHECKS, "ok"),
    }


async def test_openapi_document_is_served(client: httpx.AsyncClient) -> None:
    response = await client.get("/openapi.json")

    assert response.status_code == 200
    assert "/health/ready" in response.json()["paths"]


async def test_docs_ui_can_be_switched_off() -> None:
    async with running(make_app(docs_enabled=False)) as client:
        docs = await client.get("/docs")
        document = await client.get("/openapi.json")

    assert docs.status_code == 404
    assert document.status_code == 200
