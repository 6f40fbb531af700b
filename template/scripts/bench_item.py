"""An item as the bare baseline's endpoints return it, whatever stores it."""

import uuid
from datetime import UTC, datetime
from typing import TypedDict


class ItemRow(TypedDict):
    """The fields of an item, as the service's item schema has them."""

    id: uuid.UUID
    name: str
    description: str | None
    created_at: datetime
    updated_at: datetime


def new_item(name: str, description: str | None) -> ItemRow:
    """A new item with a random id, created and updated now."""
    now = datetime.now(UTC)
    return ItemRow(
        id=uuid.uuid4(),
        name=name,
        description=description,
        created_at=now,
        updated_at=now,
    )
