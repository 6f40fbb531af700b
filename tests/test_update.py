"""`copier update` on a service made from an older keel, with a real git history.

A throwaway repository holds keel twice: ``v0.1.0`` (decision records still in
``docs/adr/``, an older README heading and yamllint config) and ``v0.2.0`` (the
template as it is now, plus those two changes), each with its CHANGELOG. A
service rendered from v0.1.0 gets the edits a team makes, then is updated to
v0.2.0 by the rendered scheduled workflow (`.github/workflows/template-update.yml`),
its steps run here as CI would run them, with a stand-in for the `gh` command.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import textwrap
import warnings
from dataclasses import dataclass
from pathlib import Path

import copier
import pytest
import yaml
from copier.errors import DirtyLocalWarning, UserMessageError

from keel import space
from keel.layout import TEMPLATE_PARTS
from keel.own import Step, project_environment, run_step
from keel.pipelines import PlannedStep, github_plan, gitlab_plan, run_plan
from keel.render import DEMO_ANSWERS

pytestmark = pytest.mark.full

TEMPLATE = space.load()

GIT = ["git", "-c", "user.name=keel", "-c", "user.email=keel@example.com"]

OLD_HEADING = "## Quick start"
NEW_HEADING = "## Getting started"
TEAM_HEADING = "## Quick start for the payments team"
NEW_YAMLLINT_RULE = "  key-duplicates: enable\n"
TEAM_CHANGELOG_ENTRY = "\n## [1.4.0] - 2026-12-02\n\n- Payments can be refunded.\n"
TEAM_README_SECTION = "\n## On call\n\nThe payments team, #payments-oncall.\n"
CHANGELOG_0_1 = "## [0.1.0] - 2026-11-02\n\n### Added\n\n- The first release.\n"
CHANGELOG_0_2 = "## [0.2.0] - 2026-12-01\n\n### Changed\n\n- The README says Getting started.\n"
UPDATE_WORKFLOW = Path(".github/workflows/template-update.yml")
UPDATE_STEP = "Update from the template (fails on conflicts)"
# Stand-ins for GitHub's CLI and for curl to GitLab's API: they log their
# arguments and keep the pull request body; no pull or merge request exists yet.
GH_STAND_IN = """\
#!/usr/bin/env bash
printf 'gh %s\\n' "$*" >> "$STAND_IN_LOG"
if [ "$1 $2" = "pr view" ]; then exit 1; fi
"""
CURL_STAND_IN = """\
#!/usr/bin/env bash
printf 'curl %s\\n' "$*" >> "$STAND_IN_LOG"
for argument in "$@"; do
  case "$argument" in description@*) cp "${argument#description@}" "$STAND_IN_LOG.body" ;; esac
done
case "$*" in *--request*) ;; *) echo "[]" ;; esac
"""
GITLAB_PUSH_URL = "https://oauth2:glpat-stand-in@gitlab.example.com/team/demo-service.git"
GITLAB_RUNNER = {
    "CI_SERVER_HOST": "gitlab.example.com",
    "CI_PROJECT_PATH": "team/demo-service",
    "CI_PROJECT_ID": "7",
    "CI_API_V4_URL": "https://gitlab.example.com/api/v4",
    "CI_DEFAULT_BRANCH": "work",
    "TEMPLATE_UPDATE_TOKEN": "glpat-stand-in",
}


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
    (repo / "CHANGELOG.md").write_text(f"# Changelog\n\n{CHANGELOG_0_1}")
    commit(repo, "keel 0.1.0")
    git(repo, "tag", "v0.1.0")

    copy_template(repo)
    edit(repo / "template" / "README.md.jinja", OLD_HEADING, NEW_HEADING)
    yamllint = repo / "template" / ".yamllint.yaml"
    yamllint.write_text(yamllint.read_text() + NEW_YAMLLINT_RULE)
    (repo / "CHANGELOG.md").write_text(f"# Changelog\n\n{CHANGELOG_0_2}\n{CHANGELOG_0_1}")
    commit(repo, "keel 0.2.0")
    git(repo, "tag", "v0.2.0")
    return repo


def render_from(template: Path, destination: Path, ref: str, **answers: object) -> Path:
    """A service rendered from `template` at `ref`, committed, with a bare `origin` remote."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DirtyLocalWarning)
        copier.run_copy(
            str(template),
            destination,
            data={**DEMO_ANSWERS, **answers},
            defaults=True,
            unsafe=True,
            quiet=True,
            vcs_ref=ref,
        )
    git(destination, "init", "--quiet", "--initial-branch", "work")
    commit(destination, "feat: render from keel")
    origin = destination.with_name(destination.name + "-origin.git")
    git(destination, "clone", "--quiet", "--bare", str(destination), str(origin))
    git(destination, "remote", "add", "origin", str(origin))
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
    readme = project / "README.md"
    readme.write_text(readme.read_text() + TEAM_README_SECTION)
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


def branches(repository: Path) -> str:
    return git(repository, "branch", "--list", "--format=%(refname:short)")


def template_check(project: Path) -> Step:
    """The project's own `just template-check`."""
    return run_step(
        "template-check", ["uv", "run", "just", "template-check"], project, project_environment()
    )


@dataclass(frozen=True)
class WorkflowRun:
    """A CI job's steps run here: what each did, and what the stand-ins saw."""

    project: Path
    outcomes: list[tuple[PlannedStep, Step | None]]
    runner: Path

    @property
    def failed(self) -> Step | None:
        return next((step for _, step in self.outcomes if step and not step.ok), None)

    def calls(self, tool: str) -> list[str]:
        """The stand-in's command lines, without the tool's name."""
        log = self.runner / "stand-ins.log"
        lines = log.read_text().splitlines() if log.exists() else []
        return [line.removeprefix(f"{tool} ") for line in lines if line.startswith(f"{tool} ")]


def run_job(
    project: Path, plan: list[PlannedStep], runner_env: dict[str, str] | None = None
) -> WorkflowRun:
    """Run `plan` in `project` with a runner's temporary directory and the stand-ins."""
    runner = project.with_name(project.name + "-runner")
    (runner / "bin").mkdir(parents=True)
    for tool, script in (("gh", GH_STAND_IN), ("curl", CURL_STAND_IN)):
        (runner / "bin" / tool).write_text(script)
        (runner / "bin" / tool).chmod(0o755)
    path = project_environment()["PATH"]
    environment = {
        "RUNNER_TEMP": str(runner),
        "STAND_IN_LOG": str(runner / "stand-ins.log"),
        "PATH": f"{runner / 'bin'}{os.pathsep}{path}",
        **(runner_env or {}),
    }
    return WorkflowRun(project, run_plan(plan, project, environment), runner)


@pytest.fixture(scope="module")
def updated(keel_history: Path, scratch: Path, server_database_url: str) -> WorkflowRun:
    """A service rendered from v0.1.0, edited by its team, updated by the scheduled workflow."""
    del server_database_url  # the job's PostgreSQL service is this machine's server
    project = render_from(keel_history, scratch / "update" / "demo-service", "v0.1.0")
    make_team_edits(project)
    return run_job(project, github_plan(project, UPDATE_WORKFLOW))


def test_team_edits_survive_the_update(updated: WorkflowRun) -> None:
    project = updated.project
    package = project / "src" / "demo_service"
    assert (package / "api" / "routes" / "ping.py").read_text() == PING_ROUTE
    assert "api_router.include_router(ping_router)" in (package / "api" / "router.py").read_text()
    assert "Field(default=250, ge=1)" in (package / "core" / "config.py").read_text()
    migration = project / "migrations" / "versions" / "20260301_0003_create_audit_events.py"
    assert migration.read_text() == AUDIT_MIGRATION
    assert (project / "tests" / "integration" / "test_ping.py").read_text() == PING_TEST
    assert (project / "README.md").read_text().endswith(TEAM_README_SECTION)


def test_new_template_changes_arrive_and_the_answers_file_moves_on(updated: WorkflowRun) -> None:
    project = updated.project
    assert (project / ".yamllint.yaml").read_text().endswith(NEW_YAMLLINT_RULE)
    assert NEW_HEADING in (project / "README.md").read_text()
    answers = (project / ".copier-answers.yml").read_text()
    assert "_commit: v0.2.0" in answers


def test_the_migration_moves_the_teams_decision_records(updated: WorkflowRun) -> None:
    decisions = updated.project / "docs" / "decisions"
    assert (decisions / "0002-use-keel.md").read_text() == TEAM_DECISION
    assert (decisions / "0001-record-architecture-decisions.md").exists()
    assert not (updated.project / "docs" / "adr").exists()
    assert (
        "decisions/0001-record-architecture-decisions.md"
        in (updated.project / "mkdocs.yml").read_text()
    )


def test_the_update_workflow_gates_pushes_and_opens_one_pull_request(
    updated: WorkflowRun,
) -> None:
    assert updated.failed is None, f"{updated.failed.name}\n{updated.failed.first_error}"
    ran = {planned.name: step for planned, step in updated.outcomes if step is not None}
    gate = ran["The service's own gate on the updated tree"]
    assert re.search(r"Required test coverage of 80(\.0)?% reached", gate.output)
    origin = updated.project.with_name("demo-service-origin.git")
    assert "template-update" in branches(origin).split()
    pushed = git(origin, "show", "--stat", "--format=%s", "template-update")
    assert pushed.startswith("chore: update from the template")
    assert "README.md" in pushed
    assert git(updated.project, "status", "--porcelain") == ""
    create = [call for call in updated.calls("gh") if call.startswith("pr create")]
    assert len(create) == 1
    assert "--head template-update" in create[0]
    body = (updated.runner / "template-update.md").read_text()
    assert "from template v0.1.0 to v0.2.0" in body
    assert "### [0.2.0] - 2026-12-01" in body
    assert "The README says Getting started." in body
    assert "[0.1.0]" not in body
    assert "- v0.2.0: `move_decision_records.py`" in body


def test_template_check_names_the_template_owned_files_the_team_edited(
    updated: WorkflowRun,
) -> None:
    checked = template_check(updated.project)

    assert not checked.ok
    named = {line for line in checked.output.splitlines() if line and not line[0].isspace()}
    package = "src/demo_service"
    edited = {"README.md", f"{package}/api/router.py", f"{package}/core/config.py"}
    assert edited <= named
    team_owned_or_new = {
        "CHANGELOG.md",
        "tests/integration/test_ping.py",
        f"{package}/api/routes/ping.py",
        "migrations/versions/20260301_0003_create_audit_events.py",
        "uv.lock",
    }
    assert not team_owned_or_new & named
    assert "3 file(s) the template owns differ" in checked.output
    assert "v0.2.0 is the newest release." in checked.output


@pytest.fixture(scope="module")
def fresh(keel_history: Path, scratch: Path) -> tuple[Path, Step]:
    """A service rendered from v0.1.0 and its `just template-check` right after."""
    project = render_from(keel_history, scratch / "conflict" / "demo-service", "v0.1.0")
    return project, template_check(project)


def test_a_fresh_render_passes_template_check_and_sees_the_newer_release(
    fresh: tuple[Path, Step],
) -> None:
    _, checked = fresh

    assert checked.ok, checked.output
    assert "No drift: the " in checked.output
    assert "A newer release exists: v0.2.0." in checked.output
    assert "changed  README.md (+1 -1)" in checked.output
    assert "changed  .yamllint.yaml (+1 -0)" in checked.output


@pytest.fixture(scope="module")
def conflicted(fresh: tuple[Path, Step]) -> WorkflowRun:
    """The fresh service with the team's README heading, where keel changed it too."""
    project, _ = fresh
    edit(project / "README.md", OLD_HEADING, TEAM_HEADING)
    commit(project, "docs: our heading")
    return run_job(project, github_plan(project, UPDATE_WORKFLOW))


def test_the_update_workflow_stops_on_conflicts_and_names_the_files(
    conflicted: WorkflowRun,
) -> None:
    failed = conflicted.failed
    assert failed is not None
    assert failed.name == f"update: {UPDATE_STEP}"
    assert "left conflicts in 1 file(s):\n    README.md\n" in failed.output
    assert [step for _, step in conflicted.outcomes].index(failed) == len(conflicted.outcomes) - 1
    assert conflicted.calls("gh") == []
    origin = conflicted.project.with_name("demo-service-origin.git")
    assert "template-update" not in branches(origin).split()
    assert not (conflicted.runner / "template-update.md").exists()


def test_conflicts_are_inline_markers_only_where_both_sides_changed(
    conflicted: WorkflowRun,
) -> None:
    assert conflicted_files(conflicted.project) == ["README.md"]
    readme = (conflicted.project / "README.md").read_text()
    ours, theirs = readme.split("=======", 1)
    assert TEAM_HEADING in ours.split("<<<<<<< ", 1)[1]
    assert NEW_HEADING in theirs.split(">>>>>>> ", 1)[0]


def test_the_gitlab_update_job_gates_pushes_and_opens_one_merge_request(
    keel_history: Path, scratch: Path
) -> None:
    project = render_from(
        keel_history,
        scratch / "gitlab" / "demo-service",
        "v0.1.0",
        profile="custom",
        ci="gitlab",
        database="none",
    )
    job = [step for step in gitlab_plan(project, "schedule") if step.job == "template-update"]
    assert not [step for step in gitlab_plan(project) if step.job == "template-update"]
    origin = project.with_name("demo-service-origin.git")
    # The job pushes to GitLab over HTTPS; here that URL leads to the bare origin.
    redirect = {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"url.{origin}.insteadOf",
        "GIT_CONFIG_VALUE_0": GITLAB_PUSH_URL,
    }

    run = run_job(project, job, {**GITLAB_RUNNER, **redirect})

    assert run.failed is None, f"{run.failed.name}\n{run.failed.first_error}"
    assert "Required test coverage of 80" in "".join(
        step.output for _, step in run.outcomes if step
    )
    pushed = git(origin, "log", "--format=%s", "-1", "template-update")
    assert pushed.strip() == "chore: update from the template"
    requests = run.calls("curl")
    assert len(requests) == 2
    assert "merge_requests?state=opened&source_branch=template-update" in requests[0]
    assert "--request POST" in requests[1]
    assert "target_branch=work" in requests[1]
    body = (run.runner / "stand-ins.log.body").read_text()
    assert "from template v0.1.0 to v0.2.0" in body


def switched_answer(profile: str) -> tuple[str, object]:
    """`cache` set to a value the profile allows other than its preset (from the answer space)."""
    preset = TEMPLATE.profile_presets[profile]
    for combination in space.current().combinations:
        answers = combination.answers
        differing = {key for key, value in preset.items() if answers.get(key, value) != value}
        if answers["profile"] == profile and differing == {"cache"}:
            return "cache", answers["cache"]
    msg = f"{profile} allows no other cache"
    raise AssertionError(msg)


@pytest.mark.parametrize(
    "profile",
    [
        pytest.param(
            profile,
            marks=[pytest.mark.xdist_group(f"update-{profile}"), pytest.mark.update_matrix],
        )
        for profile in TEMPLATE.choices("profile")
        if profile != "custom"
    ],
)
def test_each_profile_updates_with_edits_a_switched_answer_and_a_deleted_file(
    profile: str, keel_history: Path, scratch: Path, server_database_url: str
) -> None:
    project = render_from(
        keel_history, scratch / f"matrix-{profile}" / "demo-service", "v0.1.0", profile=profile
    )
    changelog = project / "CHANGELOG.md"  # the team's (`_skip_if_exists`)
    changelog.write_text(changelog.read_text() + TEAM_CHANGELOG_ENTRY)
    gitignore = project / ".gitignore"  # keel's
    gitignore.write_text(gitignore.read_text() + "/scratch/\n")
    (project / ".pre-commit-config.yaml").unlink()
    commit(project, "chore: our changelog entry, ignores and hooks")
    question, value = switched_answer(profile)

    update(project, "v0.2.0", **{question: value})

    assert conflicted_files(project) == []
    assert not list(project.rglob("*.rej"))
    assert changelog.read_text().endswith(TEAM_CHANGELOG_ENTRY)
    assert gitignore.read_text().endswith("/scratch/\n")
    assert not (project / ".pre-commit-config.yaml").exists()
    assert NEW_HEADING in (project / "README.md").read_text()
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert (answers["_commit"], answers[question]) == ("v0.2.0", value)
    env = project_environment(DATABASE_URL=server_database_url)
    checked = run_step("check", ["uv", "run", "just", "check"], project, env)
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


def test_a_hand_edited_answer_the_template_refuses_stops_the_update_with_its_message(
    keel_history: Path, scratch: Path
) -> None:
    project = render_from(keel_history, scratch / "refused" / "demo-service", "v0.1.0")
    answers = project / ".copier-answers.yml"
    answers.write_text(answers.read_text().replace("framework: fastapi", "framework: flask"))
    git(project, "commit", "--quiet", "--all", "--no-verify", "--message", "Pick it by hand")
    before = snapshot(project)

    step = run_step(
        "template-update",
        ["uv", "run", "just", "template-update"],
        project,
        project_environment(),
    )

    assert not step.ok
    assert "holds an answer the template refuses" in step.output
    assert "Invalid choice for 'framework': 'flask' is not in" in step.output
    assert "Traceback" not in step.output
    after = snapshot(project)  # and the environment `uv run` made
    assert {path: after[path] for path in before} == before
    assert git(project, "status", "--porcelain") == ""
