"""Identifiers: UUIDv7, so new rows land at the end of the primary-key index."""

import random
import secrets
import time
import uuid

_VERSION_7 = 0x7 << 76
_VERSION_MASK = 0xF << 76
_VARIANT_RFC_9562 = 0b10 << 62
_VARIANT_MASK = 0b11 << 62


def uuid7() -> uuid.UUID:
    """A new UUIDv7 (RFC 9562): 48 bits of Unix time in milliseconds, then randomness.

    IDs sort by creation time to the millisecond; within one millisecond their
    order is random. Python 3.14's ``uuid.uuid7`` builds the same layout.
    """
    return uuid.UUID(int=_uuid7_bits(secrets.randbits(80)))


def uuid7_hex() -> str:
    """``uuid7().hex`` without building a ``UUID``: a request's ID, on every request.

    A request ID must be unique, not unguessable, so its random bits come from
    ``random``; ``secrets`` (row IDs, token IDs) asks the operating system on
    every call: 2.6 µs an ID against 0.8 µs, measured.
    """
    return f"{_uuid7_bits(random.getrandbits(80)):032x}"  # nosec B311 - unique, not secret


def _uuid7_bits(random_bits: int) -> int:
    milliseconds = time.time_ns() // 1_000_000
    value = (milliseconds & 0xFFFF_FFFF_FFFF) << 80 | random_bits
    value = value & ~_VERSION_MASK | _VERSION_7
    return value & ~_VARIANT_MASK | _VARIANT_RFC_9562
