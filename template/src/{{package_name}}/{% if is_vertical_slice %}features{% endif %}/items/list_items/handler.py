"""List items, newest first, one page at a time."""

import asyncpg
import msgspec

from ..item import Item
from .command import ListItems
from .queries import COUNT_ITEMS, SELECT_ITEM_PAGE


class ItemsPage(msgspec.Struct, frozen=True):
    """The items of one page, and how many items there are in all."""

    items: list[Item]
    total: int


async def handle_list_items(command: ListItems, pool: asyncpg.Pool) -> ItemsPage:
    """One page of items and the total, read from one snapshot of the table."""
    async with (
        pool.acquire() as connection,
        connection.transaction(isolation="repeatable_read", readonly=True),
    ):
        total: int = await connection.fetchval(COUNT_ITEMS)
        rows = await connection.fetch(SELECT_ITEM_PAGE, command.offset, command.limit)
    return ItemsPage([Item(*row) for row in rows], total)
