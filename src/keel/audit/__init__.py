"""``keel audit``: a project checked against one written standard, rule by rule.

Built like scientific-python's repo-review: each standard is a catalogue of rules
with stable IDs (`keel.audit.standards`), each rule decided from the files by a
check, or explicitly undecidable or left to the team, with the reason.
"""

from __future__ import annotations

from pathlib import Path

from keel.audit.model import Result, Rule, Severity, Standard, Status
from keel.audit.project import Project
from keel.audit.run import audit, failed_musts, selected
from keel.audit.standards import STANDARDS, resolve
from keel.errors import KeelError

__all__ = [
    "STANDARDS",
    "Project",
    "Result",
    "Rule",
    "Severity",
    "Standard",
    "Status",
    "audit",
    "declared_standard",
    "failed_musts",
    "resolve",
    "selected",
]


def declared_standard(root: Path) -> str:
    """The standard ``root``'s pyproject.toml names, or a KeelError saying how to name one."""
    declared = Project(root.resolve()).declared_standard
    if declared is None:
        msg = (
            f"{root} does not say which standard it follows ([tool.keel.audit] standard "
            f"in pyproject.toml): pass --standard, one of {', '.join(STANDARDS)}"
        )
        raise KeelError(msg)
    return declared
