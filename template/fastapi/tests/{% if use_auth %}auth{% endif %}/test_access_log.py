import asyncio

import httpx
import pytest
from fastapi import FastAPI

from tests.auth.accounts import make_account
from tests.helpers import LogCapture

pytestmark = pytest.mark.usefixtures("storage")


def _line_of(logs: LogCapture, request_id: str) -> dict[str, object]:
    [line] = [line for line in logs.requests() if line["request_id"] == request_id]
    return line


async def test_the_access_line_names_the_authenticated_caller(
    api: httpx.AsyncClient, app: FastAPI, logs: LogCapture
) -> None:
    account = await make_account(api, app)
    response = await api.get(
        "/api/v1/users/me", headers=account.headers | {"X-Request-ID": "as-ada"}
    )

    assert response.status_code == 200
    assert _line_of(logs, "as-ada")["user_id"] == account.id
    assert account.access_token not in logs.text


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer not.a.jwt"}],
    ids=["anonymous", "invalid-token"],
)
async def test_no_user_id_without_an_authenticated_caller(
    api: httpx.AsyncClient, logs: LogCapture, headers: dict[str, str]
) -> None:
    await api.get("/api/v1/users/me", headers=headers | {"X-Request-ID": "nobody"})
    await api.get("/health/live", headers={"X-Request-ID": "public"})

    assert "user_id" not in _line_of(logs, "nobody")
    assert "user_id" not in _line_of(logs, "public")


async def test_concurrent_requests_log_their_own_caller(
    api: httpx.AsyncClient, app: FastAPI, logs: LogCapture
) -> None:
    ada, bob = await make_account(api, app, name="Ada"), await make_account(api, app, name="Bob")
    callers = {"ada": ada, "bob": bob, "anonymous": None}
    requests = [
        (f"{name}-{index}", account) for index in range(10) for name, account in callers.items()
    ]

    await asyncio.gather(
        *(
            api.get(
                "/api/v1/users/me",
                headers={"X-Request-ID": request_id} | (account.headers if account else {}),
            )
            for request_id, account in requests
        )
    )

    for request_id, account in requests:
        assert _line_of(logs, request_id).get("user_id") == (account.id if account else None)
