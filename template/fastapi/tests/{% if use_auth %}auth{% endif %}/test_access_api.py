import uuid

import httpx
import pytest
from fastapi import FastAPI

from tests.auth.accounts import Account, make_account, sign_in
from tests.auth.part import PASSWORD
from tests.helpers import assert_problem, error_locations

pytestmark = pytest.mark.usefixtures("storage")


async def _post(api: httpx.AsyncClient, author: Account, title: str = "Hello") -> str:
    response = await api.post("/api/v1/posts", json={"title": title}, headers=author.headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def test_rbac_matrix(api: httpx.AsyncClient, app: FastAPI) -> None:
    """Every protected route, called anonymously, as a user and as an admin."""
    owner = await make_account(api, app, name="Owner")
    user = await make_account(api, app)
    admin = await make_account(api, app, role="admin")
    routes = [
        # method, path, body, anonymous, user (not the owner), admin
        ("GET", "/api/v1/users/me", None, 401, 200, 200),
        ("PATCH", "/api/v1/users/me", {"name": "New"}, 401, 200, 200),
        ("GET", "/api/v1/users", None, 401, 403, 200),
        ("GET", f"/api/v1/users/{owner.id}", None, 401, 404, 200),
        ("POST", "/api/v1/posts", {"title": "T"}, 401, 201, 201),
        ("GET", "/api/v1/posts", None, 401, 200, 200),
        ("GET", "/api/v1/posts/{post}", None, 401, 200, 200),
        ("PATCH", "/api/v1/posts/{post}", {"title": "X"}, 401, 403, 200),
        ("DELETE", "/api/v1/posts/{post}", None, 401, 403, 204),
        ("DELETE", "/api/v1/users/{victim}", None, 401, 403, 204),
    ]
    for method, template, body, *expected in routes:
        for caller, status in zip((None, user, admin), expected, strict=True):
            victim = await make_account(api, app)
            path = template.format(post=await _post(api, owner), victim=victim.id)
            headers = caller.headers if caller else {}
            response = await api.request(method, path, json=body, headers=headers)
            assert response.status_code == status, (method, template, caller, response.text)


async def test_me_returns_and_changes_the_caller(api: httpx.AsyncClient, app: FastAPI) -> None:
    account = await make_account(api, app)
    changed = await api.patch(
        "/api/v1/users/me",
        json={"name": "Grace", "password": "a brand new password"},
        headers=account.headers,
    )
    assert changed.status_code == 200
    assert changed.json() == account.user | {"name": "Grace"}
    assert (await api.get("/api/v1/users/me", headers=account.headers)).json()["name"] == "Grace"
    assert (await sign_in(api, account.user["email"])).status_code == 401
    assert (await sign_in(api, account.user["email"], "a brand new password")).status_code == 200


async def test_me_cannot_change_role_or_email(api: httpx.AsyncClient, app: FastAPI) -> None:
    account = await make_account(api, app)
    for field, value in (("role", "admin"), ("email", "x@example.com"), ("name", None)):
        response = await api.patch("/api/v1/users/me", json={field: value}, headers=account.headers)
        assert error_locations(response) == [["body", field]]


async def test_user_b_cannot_read_or_change_user_as_records(
    api: httpx.AsyncClient, app: FastAPI
) -> None:
    alice = await make_account(api, app, name="Alice")
    bob = await make_account(api, app, name="Bob")
    post_id = await _post(api, alice)

    assert_problem(await api.get(f"/api/v1/users/{alice.id}", headers=bob.headers), 404)
    assert (await api.get(f"/api/v1/users/{alice.id}", headers=alice.headers)).status_code == 200
    patch = await api.patch(
        f"/api/v1/posts/{post_id}", json={"title": "Mine now"}, headers=bob.headers
    )
    assert_problem(patch, 403)
    assert_problem(await api.delete(f"/api/v1/posts/{post_id}", headers=bob.headers), 403)
    assert_problem(await api.delete(f"/api/v1/users/{alice.id}", headers=bob.headers), 403)
    post = await api.get(f"/api/v1/posts/{post_id}", headers=bob.headers)
    assert post.json()["title"] == "Hello"


async def test_the_author_is_the_caller(api: httpx.AsyncClient, app: FastAPI) -> None:
    alice = await make_account(api, app, name="Alice")
    bob = await make_account(api, app, name="Bob")
    created = await api.post(
        "/api/v1/posts", json={"title": "T", "author_id": bob.id}, headers=alice.headers
    )
    assert error_locations(created) == [["body", "author_id"]]

    post_id = await _post(api, alice)
    post = (await api.get(f"/api/v1/posts/{post_id}", headers=bob.headers)).json()
    assert post["author"] == {"id": alice.id, "name": "Alice"}
    moved = await api.patch(
        f"/api/v1/posts/{post_id}", json={"author_id": bob.id}, headers=alice.headers
    )
    assert error_locations(moved) == [["body", "author_id"]]


async def test_changing_a_missing_post_is_404(api: httpx.AsyncClient, app: FastAPI) -> None:
    admin = await make_account(api, app, role="admin")
    missing = f"/api/v1/posts/{uuid.uuid4()}"
    assert_problem(await api.patch(missing, json={"title": "X"}, headers=admin.headers), 404)
    assert_problem(await api.delete(missing, headers=admin.headers), 404)


async def test_an_admin_lists_and_deletes_users(api: httpx.AsyncClient, app: FastAPI) -> None:
    admin = await make_account(api, app, role="admin")
    user = await make_account(api, app)
    page = await api.get("/api/v1/users", headers=admin.headers)
    assert {item["id"] for item in page.json()["items"]} == {admin.id, user.id}
    assert (await api.delete(f"/api/v1/users/{user.id}", headers=admin.headers)).status_code == 204
    gone = await api.delete(f"/api/v1/users/{user.id}", headers=admin.headers)
    assert_problem(gone, 404)
    assert PASSWORD not in page.text
