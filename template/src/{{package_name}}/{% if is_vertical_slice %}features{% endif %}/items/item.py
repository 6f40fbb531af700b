"""An item: the row ``items`` stores and the body the items routes return."""

import uuid
from datetime import datetime
from typing import Annotated

import msgspec

NAME_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 2000
# A name is one line of text; a description may break lines. Neither holds other
# control characters (PostgreSQL refuses a NUL in text), and a name holds no
# bidirectional overrides or isolates, which make text display as other text.
NAME_PATTERN = r"^[^\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]*$"
DESCRIPTION_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"

# Field rules the request bodies of the slices share.
Name = Annotated[
    str,
    msgspec.Meta(
        min_length=1, max_length=NAME_MAX_LENGTH, pattern=NAME_PATTERN, examples=["Widget"]
    ),
]
Description = Annotated[
    str,
    msgspec.Meta(
        max_length=DESCRIPTION_MAX_LENGTH,
        pattern=DESCRIPTION_PATTERN,
        examples=["A useful widget"],
    ),
]


class Item(msgspec.Struct, frozen=True):
    """An item; its fields follow the columns of ``items``: ``Item(*row)`` maps a row.

    The ID is a UUIDv7; timestamps are timezone-aware UTC, sent as ISO-8601.
    """

    id: uuid.UUID
    name: str
    description: str | None
    created_at: datetime
    updated_at: datetime


def stripped_name(name: str) -> str:
    """``name`` without surrounding blanks; a blank name is refused.

    Raises:
        ValueError: Nothing but blanks (msgspec reports it as invalid input).
    """
    name = name.strip()
    if not name:
        msg = "name must not be blank"
        raise ValueError(msg)
    return name
