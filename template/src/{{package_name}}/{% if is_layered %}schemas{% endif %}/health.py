"""Bodies of the health endpoints."""

from typing import Literal

from pydantic import BaseModel


class HealthStatus(BaseModel):
    """Outcome of a health probe."""

    status: Literal["ok"]
    version: str
    checks: dict[str, Literal["ok"]] = {}
