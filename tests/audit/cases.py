"""Hand-made trees for the audit's rules: each decidable rule passes one and fails one."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

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


def case_tests(
    standard: Standard, cases: Mapping[str, Case]
) -> tuple[Callable[[], None], Callable[[str, Path], None]]:
    """A catalogue's two tests of its cases: every decidable rule has one, and each rule passes
    its passing tree and fails its failing one."""

    def test_every_decidable_rule_has_a_case() -> None:
        assert sorted(cases) == sorted(decidable_ids(standard))

    @pytest.mark.parametrize("rule_id", sorted(cases))
    def test_the_rule_passes_and_fails_its_trees(rule_id: str, tmp_path: Path) -> None:
        case = cases[rule_id]
        status = status_of(standard, rule_id, case.passing, tmp_path / "passing")
        assert status is Status.PASS, f"{rule_id} is {status} on its passing tree"
        status = status_of(standard, rule_id, case.failing, tmp_path / "failing")
        assert status is Status.FAIL, f"{rule_id} is {status} on its failing tree"

    return test_every_decidable_rule_has_a_case, test_the_rule_passes_and_fails_its_trees
