"""Docs sections generated from code, between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``."""

from __future__ import annotations

from pathlib import Path

from keel.errors import KeelError


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- {name}:start -->\n", f"<!-- {name}:end -->"


def embedded(path: Path, name: str) -> str:
    """The text currently between the markers `name` in `path`."""
    start, end = _markers(name)
    text = path.read_text(encoding="utf-8")
    if start not in text or end not in text:
        msg = f"{path} has no {start.strip()} ... {end} section"
        raise KeelError(msg)
    return text.split(start, 1)[1].split(end, 1)[0]


def embed(path: Path, name: str, content: str) -> bool:
    """Replace the section `name` of `path` with `content`; return whether it changed."""
    current = embedded(path, name)
    if current == content:
        return False
    start, end = _markers(name)
    text = path.read_text(encoding="utf-8")
    head, rest = text.split(start, 1)
    path.write_text(head + start + content + end + rest.split(end, 1)[1], encoding="utf-8")
    return True
