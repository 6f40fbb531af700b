"""ASGI types and header editing for the pure ASGI middleware.

The middleware speak plain ASGI, so they serve whichever framework the app uses.
"""

from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any, Protocol

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


RawHeaders = list[tuple[bytes, bytes]]


class AppState(Protocol):
    """The app's state, FastAPI's or Litestar's: what the factory and lifespan keep."""

    def __getattr__(self, name: str, /) -> Any:  # noqa: ANN401 - as both frameworks type it
        """The value stored under ``name``."""

    def __setattr__(self, name: str, value: Any, /) -> None:  # noqa: ANN401
        """Store ``value`` under ``name``."""


class StatefulApp(Protocol):
    """The app, FastAPI or Litestar, as its lifespan sees it: a holder of state."""

    @property
    def state(self) -> AppState:
        """What the factory and lifespan keep."""
        ...


class ResponseWatch:
    """A ``send`` that notes whether the answer has started (its status was sent).

    A middleware that would answer instead of the app (an error, a timeout) may
    do so only while ``started`` is false.
    """

    def __init__(self, send: Send) -> None:
        """Pass every message on to ``send``."""
        self._send = send
        self.started = False

    async def __call__(self, message: Message) -> None:
        """Send ``message``, noting an ``http.response.start``."""
        if message["type"] == "http.response.start":
            self.started = True
        await self._send(message)


def encode_headers(headers: Mapping[str, str]) -> RawHeaders:
    """``headers`` as ASGI sends them: lower-case names, latin-1 bytes."""
    return [
        (name.lower().encode("latin-1"), value.encode("latin-1"))
        for name, value in headers.items()
    ]


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
    set_raw_headers(message, encode_headers(headers), keep_existing=keep_existing)


def set_raw_headers(
    message: Message, headers: RawHeaders, *, keep_existing: bool = False
) -> None:
    """``set_headers`` for headers encoded once with ``encode_headers``."""
    raw: RawHeaders = list(message.get("headers", ()))
    if keep_existing:
        present = {name.lower() for name, _ in raw}
        raw += [header for header in headers if header[0] not in present]
    else:
        replaced = {name for name, _ in headers}
        raw = [header for header in raw if header[0].lower() not in replaced]
        raw += headers
    message["headers"] = raw
