"""What reading an item needs."""

import uuid

import msgspec


class GetItem(msgspec.Struct, frozen=True):
    """Read the item with this ID."""

    item_id: uuid.UUID
