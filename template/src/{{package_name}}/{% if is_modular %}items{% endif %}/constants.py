"""Constants of the items domain."""

from enum import StrEnum


class ErrorCode(StrEnum):
    """The ``code`` of each problem the items domain answers with."""

    ITEM_NOT_FOUND = "item_not_found"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
