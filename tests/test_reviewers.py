"""The third-party checkers a reviewer runs come back clean on every profile's render.

deptry runs in the render's own environment (the dev tool `just lint` runs);
repo-review (sp-repo-review) is one of keel's dev tools, like zizmor, whose run is
tests/test_delivery.py's. Checks that do not apply to a service, and deptry's
exceptions, are the tables of keel.reviewers (docs/reviewers.md).
"""

from __future__ import annotations

import time
import tomllib
from collections.abc import Callable

import pytest

from keel import reviewers, space
from keel.own import answers_of, project_environment, run_step
from tests.conftest import RenderOnce
from tests.test_delivery import tool

TEMPLATE = space.load()


@pytest.mark.full
@pytest.mark.parametrize("profile", TEMPLATE.named_profiles)
def test_deptry_and_repo_review_pass_on_a_profiles_render(
    profile: str,
    render_committed: RenderOnce,
    record_property: Callable[[str, object], None],
) -> None:
    project = render_committed(profile=profile)
    answers = {**TEMPLATE.profile_presets[profile], **answers_of(project)}

    deptry = run_step("deptry", ["uv", "run", "deptry", "."], project, project_environment())
    started = time.perf_counter()
    reviewed = tool("repo-review", "--format", "json", str(project), cwd=project)

    timings = {"deptry": deptry.seconds, "repo-review": time.perf_counter() - started}
    record_property("timings", {name: round(value, 1) for name, value in timings.items()})
    assert deptry.ok, deptry.output
    assert "No dependency issues found" in deptry.output
    config = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["deptry"]
    assert reviewers.deptry_config_problems(config, str(answers["package_name"])) == []
    assert reviewed.stdout.startswith("{"), reviewed.stderr  # exit 3: some checks failed
    results = reviewers.repo_review_results(reviewed.stdout)
    assert reviewers.repo_review_problems(results, answers) == []


def test_every_exemption_names_a_question_and_answer_of_copier_yml() -> None:
    for check, exemption in reviewers.NOT_APPLICABLE.items():
        if exemption.when is not None:
            question, answer = exemption.when
            assert answer in TEMPLATE.choices(question), check
