"""ASGI types and header editing for the pure ASGI middleware.

The middleware speak plain ASGI, so they serve whichever framework the app uses.
"""

from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def set_headers(
    message: Message, headers: Mapping[str, str], *, keep_existing: bool = False
) -> None:
    """Set ``headers`` on an ``http.response.start`` message.

    Args:
        message: The message to change in place.
        headers: Header names and values.
        keep_existing: Leave a header the app already set as it is, instead of
            replacing it.
    """
    raw: list[tuple[bytes, bytes]] = list(message.get("headers", []))
    present = {name.lower() for name, _ in raw}
    for name, value in headers.items():
        key = name.lower().encode("latin-1")
        if key in present:
            if keep_existing:
                continue
            raw = [(existing, old) for existing, old in raw if existing.lower() != key]
        raw.append((key, value.encode("latin-1")))
    message["headers"] = raw
