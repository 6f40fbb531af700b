"""The rule catalogue of fastapi-layered-backend.md."""

from __future__ import annotations

from keel.audit.model import Standard

STANDARD = Standard(
    name="fastapi-layered-backend",
    title="Python Backend Development Standards (FastAPI, layered)",
    prefix="FLB",
)
