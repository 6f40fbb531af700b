import uuid

import httpx
import pytest

pytestmark = pytest.mark.integration

ITEMS = "/api/v1/items"


async def create(client: httpx.AsyncClient, name: str) -> dict[str, str]:
    response = await client.post(ITEMS, json={"name": name, "description": "thing"})
    assert response.status_code == 201
    created: dict[str, str] = response.json()
    return created


async def test_create_then_read_back(client: httpx.AsyncClient) -> None:
    response = await client.post(ITEMS, json={"name": "  Widget ", "description": None})

    assert response.status_code == 201
    created = response.json()
    assert created["name"] == "Widget"
    assert response.headers["location"].endswith(f"{ITEMS}/{created['id']}")
    fetched = await client.get(f"{ITEMS}/{created['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == created


async def test_list_is_paginated_newest_first(client: httpx.AsyncClient) -> None:
    for name in ("first", "second", "third"):
        await create(client, name)

    page_one = (await client.get(ITEMS, params={"limit": 2})).json()
    page_two = (await client.get(ITEMS, params={"limit": 2, "page": 2})).json()

    assert [item["name"] for item in page_one["data"]] == ["third", "second"]
    assert page_one["meta"] == {"total": 3, "page": 1, "limit": 2}
    assert page_one["links"]["prev"] is None
    assert "page=2" in page_one["links"]["next"]
    assert [item["name"] for item in page_two["data"]] == ["first"]
    assert page_two["links"]["next"] is None
    assert "page=1" in page_two["links"]["prev"]


async def test_page_size_is_bounded(client: httpx.AsyncClient) -> None:
    response = await client.get(ITEMS, params={"limit": 1000})

    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == ["query", "limit"]


async def test_update_changes_only_the_fields_sent(client: httpx.AsyncClient) -> None:
    item = await create(client, "old name")

    response = await client.patch(f"{ITEMS}/{item['id']}", json={"name": "new name"})

    assert response.status_code == 200
    updated = response.json()
    assert updated["name"] == "new name"
    assert updated["description"] == "thing"
    assert updated["updated_at"] >= item["updated_at"]


async def test_delete_removes_the_item(client: httpx.AsyncClient) -> None:
    item = await create(client, "doomed")

    deleted = await client.delete(f"{ITEMS}/{item['id']}")

    assert deleted.status_code == 204
    assert (await client.get(f"{ITEMS}/{item['id']}")).status_code == 404


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
async def test_missing_item_is_a_404_problem(
    client: httpx.AsyncClient, method: str
) -> None:
    missing = uuid.uuid4()

    response = await client.request(method, f"{ITEMS}/{missing}", json={})

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "not_found"
    assert body["detail"] == f"Item {missing} does not exist."
    assert body["instance"] == f"{ITEMS}/{missing}"


async def test_unknown_fields_are_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(ITEMS, json={"name": "x", "price": 3})

    assert response.status_code == 422
    assert response.json()["errors"][0]["type"] == "extra_forbidden"
