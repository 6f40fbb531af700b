"""The rule catalogue of python-org-standard.md."""

from __future__ import annotations

from keel.audit.model import Standard

STANDARD = Standard(
    name="python-org-standard",
    title="Python Development Standards",
    prefix="ORG",
)
