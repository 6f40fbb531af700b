import asyncio
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI

from tests.helpers import age_idempotency_key, count_items

pytestmark = pytest.mark.integration

ITEMS = "/api/v1/items"


async def test_a_retry_with_the_same_key_replays_the_first_response(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    headers = {"Idempotency-Key": "order-42"}

    first = await client.post(ITEMS, json={"name": "once"}, headers=headers)
    retry = await client.post(ITEMS, json={"name": "once"}, headers=headers)

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["location"] == first.headers["location"]
    assert retry.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert await count_items(app) == 1


async def test_the_same_key_with_another_body_is_a_422_problem(
    client: httpx.AsyncClient,
) -> None:
    headers = {"Idempotency-Key": "order-43"}
    await client.post(ITEMS, json={"name": "first"}, headers=headers)

    response = await client.post(ITEMS, json={"name": "second"}, headers=headers)

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"


async def test_an_expired_key_is_a_409_problem(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    headers = {"Idempotency-Key": "order-44"}
    await client.post(ITEMS, json={"name": "old"}, headers=headers)
    await age_idempotency_key(app, "order-44", timedelta(hours=25))

    response = await client.post(ITEMS, json={"name": "old"}, headers=headers)

    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


async def test_concurrent_retries_create_one_item(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    headers = {"Idempotency-Key": "order-45"}

    responses = await asyncio.gather(
        *(client.post(ITEMS, json={"name": "race"}, headers=headers) for _ in range(5))
    )

    assert {response.status_code for response in responses} == {201}
    assert len({response.json()["id"] for response in responses}) == 1
    assert await count_items(app) == 1


async def test_requests_without_a_key_are_independent(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await client.post(ITEMS, json={"name": "same"})
    await client.post(ITEMS, json={"name": "same"})

    assert await count_items(app) == 2


@pytest.mark.parametrize("key", ["", "has space", "x" * 256])
async def test_a_malformed_key_is_a_422_problem(
    client: httpx.AsyncClient, key: str
) -> None:
    response = await client.post(
        ITEMS, json={"name": "x"}, headers={"Idempotency-Key": key}
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == ["header", "idempotency-key"]
