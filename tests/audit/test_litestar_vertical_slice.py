"""litestar-vertical-slice.md's rules, each on a tree it passes and one it fails."""

from pathlib import Path

import pytest

from keel.audit import Status
from keel.audit.standards.litestar_vertical_slice import STANDARD
from tests.audit.cases import PACKAGE, Case, decidable_ids, status_of

CASES: dict[str, Case] = {
    "LS-ASYNC-001": Case(
        passing={
            PACKAGE: "",
            "src/svc/auth.py": (
                "import anyio\n\n"
                "async def verify(hasher, hashed, password):\n"
                "    return await anyio.to_thread.run_sync(hasher.verify, hashed, password)\n"
            ),
        },
        failing={
            PACKAGE: "",
            "src/svc/auth.py": (
                "async def verify(hasher, hashed, password):\n"
                "    return hasher.verify(hashed, password)\n"
            ),
        },
    ),
}


def test_every_decidable_rule_has_a_case() -> None:
    assert sorted(CASES) == sorted(decidable_ids(STANDARD))


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_the_rule_passes_and_fails_its_trees(rule_id: str, tmp_path: Path) -> None:
    case = CASES[rule_id]
    assert status_of(STANDARD, rule_id, case.passing, tmp_path / "passing") is Status.PASS
    assert status_of(STANDARD, rule_id, case.failing, tmp_path / "failing") is Status.FAIL
