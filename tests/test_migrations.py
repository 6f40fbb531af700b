"""The update migrations of copier.yml, run on a small project of their own.

tests/test_update.py runs them inside a real `copier update`; here each edge
case is set up directly: tracked and untracked records, a record that differs
in both places, and a second run that must change nothing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from keel import space

MIGRATIONS = yaml.safe_load(space.COPIER_YML.read_text(encoding="utf-8"))["_migrations"]
MOVE_RECORDS = space.TEMPLATE_ROOT / "updates" / "move_decision_records.py"


def _git(project: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=project, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A git project with records in docs/adr/, one also (differing) in docs/decisions/."""
    root = tmp_path / "service"
    (root / "docs" / "adr").mkdir(parents=True)
    (root / "docs" / "decisions").mkdir()
    (root / "docs" / "adr" / "0001-use-postgresql.md").write_text("# Use PostgreSQL\n")
    (root / "docs" / "adr" / "0003-cache-reads.md").write_text("# Cache reads (team)\n")
    (root / "docs" / "decisions" / "0003-cache-reads.md").write_text("# Cache reads (keel)\n")
    (root / "mkdocs.yml").write_text("nav:\n  - Decisions:\n    - adr/0001-use-postgresql.md\n")
    _git(root, "init", "--quiet")
    _git(root, "add", "--all")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "init")
    (root / "docs" / "adr" / "0002-untracked.md").write_text("# Not committed yet\n")
    return root


def _migrate(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(MOVE_RECORDS)],
        cwd=project,
        check=True,
        capture_output=True,
        text=True,
    )


def test_copier_yml_runs_the_move_after_updates_crossing_0_2_0() -> None:
    (migration,) = MIGRATIONS
    assert migration["version"] == "v0.2.0"
    assert "after" in migration["when"]
    assert migration["command"][-1].endswith("updates/move_decision_records.py")


def test_records_move_with_their_history_and_a_differing_one_is_kept(project: Path) -> None:
    outcome = _migrate(project)

    decisions = project / "docs" / "decisions"
    assert (decisions / "0001-use-postgresql.md").read_text() == "# Use PostgreSQL\n"
    assert (decisions / "0002-untracked.md").read_text() == "# Not committed yet\n"
    assert "R  docs/adr/0001-use-postgresql.md -> docs/decisions/0001-use-postgresql.md" in _git(
        project, "status", "--short"
    )
    kept = project / "docs" / "adr" / "0003-cache-reads.md"
    assert kept.read_text() == "# Cache reads (team)\n"
    assert (decisions / "0003-cache-reads.md").read_text() == "# Cache reads (keel)\n"
    assert f"{Path('docs/adr/0003-cache-reads.md')} differs" in outcome.stderr
    assert "decisions/0001-use-postgresql.md" in (project / "mkdocs.yml").read_text()


def test_a_second_run_changes_nothing(project: Path) -> None:
    _migrate(project)
    files = {
        path: path.read_bytes()
        for path in project.rglob("*")
        if ".git" not in path.parts and path.is_file()
    }

    again = _migrate(project)

    assert {path: path.read_bytes() for path in files} == files
    assert "0003-cache-reads.md differs" in again.stderr
