"""A rendered service is ready to push: container, CI, hooks and docs really work.

There is no Docker engine here: Dockerfiles are linted by hadolint and their
COPY sources checked against the rendered tree; CI files are validated against
their published schemas and then executed, job by job, on this machine.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from itertools import cycle
from pathlib import Path
from typing import Any

import pytest

from keel import lint, space
from keel.lint import dockerfile_copy_problems
from keel.own import project_environment, run_step
from keel.pipelines import github_plan, gitlab_plan, run_plan
from tests.conftest import RenderOnce
from tests.test_profiles import PROFILES as GATED_PROFILES

pytestmark = pytest.mark.full

TEMPLATE = space.load()

# One render per CI provider, cycling the type checkers, the Python versions
# and the docker toggle along. org-standard requires GitHub Actions, so the
# other providers are rendered with the custom profile.
CASES: list[dict[str, Any]] = [
    {
        "profile": "org-standard" if ci == "github" else "custom",
        "ci": ci,
        "type_checker": checker,
        "python_version": python,
        "docker": docker,
    }
    for ci, checker, python, docker in zip(
        TEMPLATE.choices("ci"),
        cycle(TEMPLATE.choices("type_checker")),
        cycle(TEMPLATE.choices("python_version")),
        cycle((True, False)),
        strict=False,
    )
]
CASE_IDS = ["-".join(str(value) for value in case.values()) for case in CASES]


def tool(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run one of keel's own dev tools (hadolint, check-jsonschema, zizmor) on a project."""
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


DOCKER_CASES = [case for case in CASES if case["docker"]]


@pytest.fixture(params=CASES, ids=CASE_IDS)
def case(request: pytest.FixtureRequest, render_committed: RenderOnce) -> tuple[dict, Path]:
    return request.param, render_committed(**request.param)


@pytest.fixture(params=DOCKER_CASES, ids=lambda case: f"{case['ci']}-py{case['python_version']}")
def docker_project(request: pytest.FixtureRequest, render_committed: RenderOnce) -> Path:
    return render_committed(**request.param)


def test_container_files_follow_the_docker_answer(case: tuple[dict, Path]) -> None:
    answers, project = case
    for name in ("Dockerfile", ".dockerignore", "compose.yaml"):
        assert (project / name).exists() is answers["docker"], name
    assert ("docker build" in (project / "Justfile").read_text()) is answers["docker"]


def test_dockerfile_is_hadolint_clean_and_copies_what_exists(docker_project: Path) -> None:
    project = docker_project

    linted = tool("hadolint", "Dockerfile", cwd=project)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert linted.stdout == ""

    files = [path.relative_to(project).as_posix() for path in project.rglob("*")]
    problems = dockerfile_copy_problems(
        (project / "Dockerfile").read_text(), (project / ".dockerignore").read_text(), files
    )
    assert problems == []


def test_yaml_files_validate_against_their_schemas(case: tuple[dict, Path]) -> None:
    answers, project = case
    expected = {
        ".github/workflows/ci.yml": answers["ci"] == "github",
        ".github/workflows/template-update.yml": answers["ci"] == "github",
        ".github/workflows/release.yml": answers["ci"] == "github" and answers["docker"],
        ".github/workflows/security.yml": answers["ci"] == "github",
        ".github/dependabot.yml": answers["ci"] == "github",
        ".gitlab-ci.yml": answers["ci"] == "gitlab",
        "compose.yaml": answers["docker"],
    }
    for path, schema in lint.SCHEMAS.items():
        assert (project / path).exists() is expected[path], path
        if expected[path]:
            checked = tool("check-jsonschema", "--builtin-schema", schema, path, cwd=project)
            assert checked.returncode == 0, checked.stdout + checked.stderr

    linted = run_step(
        "yamllint", ["uv", "run", "yamllint", "--strict", "."], project, project_environment()
    )
    assert linted.ok, linted.output


@pytest.mark.parametrize("ci", ["github"])
def test_the_github_workflows_and_dependabot_are_zizmor_clean(
    ci: str, render_committed: RenderOnce
) -> None:
    project = render_committed(**next(case for case in CASES if case["ci"] == ci))

    audited = tool("zizmor", "--offline", "--no-progress", ".", cwd=project)

    assert audited.returncode == 0, audited.stdout + audited.stderr
    assert "No findings to report" in audited.stdout + audited.stderr


@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_the_ci_pipeline_runs_here(
    ci: str,
    render_committed: RenderOnce,
    server_database_url: str,
    record_property: Callable[[str, object], None],
) -> None:
    del server_database_url  # the jobs' service containers are this machine's PostgreSQL
    case = next(case for case in CASES if case["ci"] == ci)
    project = render_committed(**case)
    plan = github_plan(project) if ci == "github" else gitlab_plan(project)

    outcomes = run_plan(plan, project)

    record_property(
        "timings", {step.name: round(step.seconds, 1) for _planned, step in outcomes if step}
    )
    failed = [step for _planned, step in outcomes if step is not None and not step.ok]
    assert not failed, f"{failed[0].name}\n{failed[0].first_error}"
    assert len(outcomes) == len(plan), "the run stopped early"
    ran = {planned.job for planned, step in outcomes if step is not None}
    assert {"lint", "typecheck", "test", "security"} <= ran
    test_output = "".join(
        step.output for planned, step in outcomes if step is not None and planned.job == "test"
    )
    assert "postgresql: the server at DATABASE_URL" in test_output
    assert re.search(r"Required test coverage of 80(\.0)?% reached", test_output)


# The type-check hook runs in the first profile of each type checker and where no
# gate type-checks the render; the others skip it: their gate
# (tests/test_profiles.py) type-checks this same render.
TYPE_CHECKED_BY_HOOK = {
    next(
        profile
        for profile in TEMPLATE.choices("profile")
        if TEMPLATE.profile_presets.get(profile, {}).get("type_checker") == checker
    )
    for checker in TEMPLATE.choices("type_checker")
} | (set(TEMPLATE.choices("profile")) - set(GATED_PROFILES))


@pytest.mark.parametrize("profile", TEMPLATE.choices("profile"))
def test_pre_commit_passes_on_a_fresh_render(profile: str, render_committed: RenderOnce) -> None:
    project = render_committed(profile=profile)
    skipped = {} if profile in TYPE_CHECKED_BY_HOOK else {"SKIP": "typecheck"}

    hooks = run_step(
        "pre-commit",
        ["uv", "run", "pre-commit", "run", "--all-files"],
        project,
        project_environment(**skipped),
    )

    assert hooks.ok, hooks.output
    changed = subprocess.run(
        ["git", "status", "--porcelain"], cwd=project, capture_output=True, text=True, check=True
    ).stdout
    assert changed == "", f"hooks changed files of a fresh render:\n{changed}"


@pytest.mark.xdist_group("profile-org-standard")
def test_docs_build_strictly(render_committed: RenderOnce) -> None:
    project = render_committed()

    docs = run_step("docs", ["uv", "run", "just", "docs"], project, project_environment())

    assert docs.ok, docs.output
    assert (project / "site" / "index.html").exists()
