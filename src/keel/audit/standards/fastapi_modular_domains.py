"""The rule catalogue of fastapi-modular-domains.md."""

from __future__ import annotations

from keel.audit.model import Standard

STANDARD = Standard(
    name="fastapi-modular-domains",
    title="Principles of Backend Development with FastAPI (modular domains)",
    prefix="FMD",
)
