"""What listing items needs."""

import msgspec


class ListItems(msgspec.Struct, frozen=True, kw_only=True):
    """List ``limit`` items, newest first, after skipping ``offset``."""

    offset: int
    limit: int
