"""`copier update` on a service made from an older keel, with a real git history.

A throwaway repository holds keel twice: ``v0.1.0`` (decision records still in
``docs/adr/``, an older README heading and yamllint config) and ``v0.2.0`` (the
template as it is now, plus those two changes). A service rendered from
v0.1.0 gets the edits a team makes, then is updated to v0.2.0.
"""

from __future__ import annotations

import shutil
import subprocess
import textwrap
import warnings
from pathlib import Path

import copier
import pytest
from copier.errors import DirtyLocalWarning, UserMessageError

from keel import space
from keel.layout import TEMPLATE_PARTS
from keel.own import project_environment, run_step
from keel.render import DEMO_ANSWERS

pytestmark = pytest.mark.full

GIT = ["git", "-c", "user.name=keel", "-c", "user.email=keel@example.com"]

OLD_HEADING = "## Quick start"
NEW_HEADING = "## Getting started"
TEAM_HEADING = "## Quick start for the payments team"
NEW_YAMLLINT_RULE = "  key-duplicates: enable\n"


def git(cwd: Path, *args: str) -> str:
    """Run git in `cwd` and return its output."""
    done = subprocess.run([*GIT, *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


def commit(cwd: Path, message: str) -> None:
    git(cwd, "add", "--all")
    git(cwd, "commit", "--quiet", "--no-verify", "--message", message)


def copy_template(destination: Path) -> None:
    """The template files of this keel checkout (working tree) into `destination`."""
    for name in TEMPLATE_PARTS:
        source = space.TEMPLATE_ROOT / name
        target = destination / name
        if target.is_dir():
            shutil.rmtree(target)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


@pytest.fixture(scope="module")
def keel_history(scratch: Path) -> Path:
    """A git repository of keel with the tags v0.1.0 and v0.2.0."""
    repo = scratch / "keel-history"
    repo.mkdir()
    git(repo, "init", "--quiet", "--initial-branch", "main")

    copy_template(repo)
    docs = repo / "template" / "docs"
    (docs / "decisions").rename(docs / "adr")
    for path in (
        docs / "adr" / "0001-record-architecture-decisions.md",
        repo / "template" / "CONTRIBUTING.md.jinja",
        repo / "template" / "mkdocs.yml.jinja",
    ):
        path.write_text(path.read_text().replace("decisions/", "adr/"))
    commit(repo, "keel 0.1.0")
    git(repo, "tag", "v0.1.0")

    copy_template(repo)
    edit(repo / "template" / "README.md.jinja", OLD_HEADING, NEW_HEADING)
    yamllint = repo / "template" / ".yamllint.yaml"
    yamllint.write_text(yamllint.read_text() + NEW_YAMLLINT_RULE)
    commit(repo, "keel 0.2.0")
    git(repo, "tag", "v0.2.0")
    return repo


def render_from(template: Path, destination: Path, ref: str) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DirtyLocalWarning)
        copier.run_copy(
            str(template),
            destination,
            data=DEMO_ANSWERS,
            defaults=True,
            unsafe=True,
            quiet=True,
            vcs_ref=ref,
        )
    git(destination, "init", "--quiet", "--initial-branch", "work")
    commit(destination, "feat: render from keel")
    return destination


def update(project: Path, ref: str, **answers: object) -> None:
    copier.run_update(
        str(project),
        data=answers,
        defaults=True,
        overwrite=True,
        unsafe=True,
        quiet=True,
        vcs_ref=ref,
        conflict="inline",
    )


PING_ROUTE = '''\
"""A liveness ping of the payments team."""

from fastapi import APIRouter

router = APIRouter(tags=["ping"])


@router.get("/ping")
async def ping() -> dict[str, str]:
    """Answer ``pong``."""
    return {"ping": "pong"}
'''

PING_TEST = """\
import pytest
from httpx import AsyncClient

pytestmark = pytest.mark.integration


async def test_ping_answers_pong(client: AsyncClient) -> None:
    response = await client.get("/api/v1/ping")

    assert response.json() == {"ping": "pong"}
"""

AUDIT_MIGRATION = '''\
"""Create the audit_events table.

Revision ID: 0003
Revises: 0002
Create Date: 2026-03-01 00:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``audit_events``."""
    op.create_table(
        "audit_events",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )


def downgrade() -> None:
    """Drop ``audit_events``."""
    op.drop_table("audit_events")
'''

TEAM_DECISION = "# 2. Use keel for our services\n\nAccepted.\n"


def make_team_edits(project: Path) -> None:
    """What a team does to its service between two keel releases."""
    package = project / "src" / "demo_service"
    (package / "api" / "routes" / "ping.py").write_text(PING_ROUTE)
    edit(
        package / "api" / "router.py",
        "from demo_service.api.routes.items import router as items_router",
        "from demo_service.api.routes.items import router as items_router\n"
        "from demo_service.api.routes.ping import router as ping_router",
    )
    edit(
        package / "api" / "router.py",
        "api_router.include_router(items_router)",
        "api_router.include_router(items_router)\napi_router.include_router(ping_router)",
    )
    (project / "tests" / "integration" / "test_ping.py").write_text(PING_TEST)
    edit(
        package / "core" / "config.py",
        "rate_limit_requests: int = Field(default=100, ge=1)",
        "rate_limit_requests: int = Field(default=250, ge=1)",
    )
    edit(project / "README.md", OLD_HEADING, TEAM_HEADING)
    (project / "migrations" / "versions" / "20260301_0003_create_audit_events.py").write_text(
        AUDIT_MIGRATION
    )
    (project / "docs" / "adr" / "0002-use-keel.md").write_text(TEAM_DECISION)
    commit(project, "feat: ping route, audit events, our rate limit")


def snapshot(project: Path) -> dict[Path, bytes]:
    """Every file of the work tree (not .git) with its content."""
    return {
        path: path.read_bytes()
        for path in project.rglob("*")
        if path.is_file() and ".git" not in path.parts
    }


def conflicted_files(project: Path) -> list[str]:
    """Files with inline conflict markers (git grep exits 1 when there are none)."""
    found = subprocess.run(
        ["git", "grep", "--untracked", "-l", "-e", "^<<<<<<< ", "--", "."],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert found.returncode in (0, 1), found.stderr
    return sorted(found.stdout.split())


@pytest.fixture(scope="module")
def updated(keel_history: Path, scratch: Path) -> Path:
    """A service rendered from v0.1.0, edited by its team, updated to v0.2.0."""
    project = render_from(keel_history, scratch / "update" / "demo-service", "v0.1.0")
    make_team_edits(project)
    update(project, "v0.2.0")
    return project


def test_team_edits_survive_the_update(updated: Path) -> None:
    package = updated / "src" / "demo_service"
    assert (package / "api" / "routes" / "ping.py").read_text() == PING_ROUTE
    assert "api_router.include_router(ping_router)" in (package / "api" / "router.py").read_text()
    assert "Field(default=250, ge=1)" in (package / "core" / "config.py").read_text()
    migration = updated / "migrations" / "versions" / "20260301_0003_create_audit_events.py"
    assert migration.read_text() == AUDIT_MIGRATION
    assert (updated / "tests" / "integration" / "test_ping.py").read_text() == PING_TEST


def test_new_template_changes_arrive_and_the_answers_file_moves_on(updated: Path) -> None:
    assert (updated / ".yamllint.yaml").read_text().endswith(NEW_YAMLLINT_RULE)
    answers = (updated / ".copier-answers.yml").read_text()
    assert "_commit: v0.2.0" in answers


def test_the_migration_moves_the_teams_decision_records(updated: Path) -> None:
    decisions = updated / "docs" / "decisions"
    assert (decisions / "0002-use-keel.md").read_text() == TEAM_DECISION
    assert (decisions / "0001-record-architecture-decisions.md").exists()
    assert not (updated / "docs" / "adr").exists()
    assert "decisions/0001-record-architecture-decisions.md" in (updated / "mkdocs.yml").read_text()


def test_conflicts_are_inline_markers_only_where_both_sides_changed(updated: Path) -> None:
    assert conflicted_files(updated) == ["README.md"]
    readme = (updated / "README.md").read_text()
    ours, theirs = readme.split("=======", 1)
    assert TEAM_HEADING in ours.split("<<<<<<< ", 1)[1]
    assert NEW_HEADING in theirs.split(">>>>>>> ", 1)[0]


def test_the_updated_service_passes_its_own_checks(updated: Path) -> None:
    readme = updated / "README.md"
    lines = readme.read_text().splitlines(keepends=True)
    resolved = [
        line
        for line in lines
        if not line.startswith(("<<<<<<< ", "=======", ">>>>>>> ")) and line.strip() != NEW_HEADING
    ]
    readme.write_text("".join(resolved))
    assert TEAM_HEADING in readme.read_text()

    checked = run_step("check", ["uv", "run", "just", "check"], updated, project_environment())

    assert checked.ok, checked.first_error


def test_an_update_that_switches_answers_passes_its_own_checks(
    keel_history: Path, scratch: Path
) -> None:
    project = render_from(keel_history, scratch / "toggles" / "demo-service", "v0.2.0")

    update(project, "v0.2.0", metrics=True, cache="redis")

    assert conflicted_files(project) == []
    package = project / "src" / "demo_service"
    assert (package / "core" / "metrics.py").exists()
    assert (package / "core" / "cache.py").exists()
    answers = (project / ".copier-answers.yml").read_text()
    assert "metrics: true" in answers
    assert "cache: redis" in answers
    checked = run_step("check", ["uv", "run", "just", "check"], project, project_environment())
    assert checked.ok, checked.first_error


def test_an_update_of_a_dirty_work_tree_is_refused_and_changes_nothing(
    keel_history: Path, scratch: Path
) -> None:
    project = render_from(keel_history, scratch / "dirty" / "demo-service", "v0.1.0")
    readme = project / "README.md"
    readme.write_text(readme.read_text() + "\nUncommitted notes.\n")
    before = snapshot(project)
    status = git(project, "status", "--porcelain")

    with pytest.raises(UserMessageError, match="Destination repository is dirty"):
        update(project, "v0.2.0")

    after = snapshot(project)
    assert after == before
    assert git(project, "status", "--porcelain") == status
    assert textwrap.dedent(status).strip() == "M README.md"
