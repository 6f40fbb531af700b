"""What creating an item needs, once the HTTP request is read."""

import msgspec


class CreateItem(msgspec.Struct, frozen=True, kw_only=True):
    """Create one item; with an idempotency key, at most once per key.

    Attributes:
        idempotency_key: The client's ``Idempotency-Key``, if it sent one.
        request_hash: Digest of the request body, to tell a retry from a reuse.
    """

    name: str
    description: str | None
    idempotency_key: str | None
    request_hash: str
