"""The rule catalogue of fastapi-routes-services.md."""

from __future__ import annotations

from keel.audit.model import Standard

STANDARD = Standard(
    name="fastapi-routes-services",
    title="Python Coding Standards (FastAPI routes and services)",
    prefix="FRS",
)
