"""What deleting an item needs."""

import uuid

import msgspec


class DeleteItem(msgspec.Struct, frozen=True):
    """Delete the item with this ID."""

    item_id: uuid.UUID
