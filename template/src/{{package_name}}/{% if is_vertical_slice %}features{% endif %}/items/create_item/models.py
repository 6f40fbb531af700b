"""The record a create leaves in ``idempotency_keys`` when the request had a key."""

from datetime import datetime, timedelta

import msgspec

KEY_MAX_LENGTH = 255
KEY_LIFETIME = timedelta(hours=24)


class IdempotencyRecord(msgspec.Struct, frozen=True):
    """A key, the digest of the request body it came with, and the response it got.

    The fields follow the columns of ``idempotency_keys``, so
    ``IdempotencyRecord(*row)`` maps a row.
    """

    key: str
    request_hash: str
    response_body: str
    created_at: datetime
