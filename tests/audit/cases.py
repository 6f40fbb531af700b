"""Hand-made trees for the audit's rules: each decidable rule passes one and fails one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from keel.audit import Standard, Status, audit

type Tree = Mapping[str, str]

# A package the checks find (src layout), for trees that need one.
PACKAGE = "src/svc/__init__.py"


@dataclass(frozen=True)
class Case:
    """A rule's two trees: one it passes, one it fails."""

    passing: Tree
    failing: Tree


def write_tree(root: Path, tree: Tree) -> Path:
    """Write ``tree`` (relative path -> text) under ``root``; return ``root``."""
    for relative, text in tree.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def status_of(standard: Standard, rule_id: str, tree: Tree, root: Path) -> Status:
    """The status ``rule_id`` gets in ``tree``, written at ``root``."""
    [result] = audit(write_tree(root, tree), standard, select=[rule_id])
    return result.status


def decidable_ids(standard: Standard) -> list[str]:
    """The IDs of the rules a check decides."""
    return [rule.id for rule in standard.rules if rule.check is not None]
