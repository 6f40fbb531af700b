"""What changing an item needs."""

import uuid

import msgspec


class UpdateItem(msgspec.Struct, frozen=True, kw_only=True):
    """Change the fields that were sent; an ``UNSET`` field keeps its value."""

    item_id: uuid.UUID
    name: str | msgspec.UnsetType = msgspec.UNSET
    description: str | msgspec.UnsetType | None = msgspec.UNSET
