"""keel's own GitHub workflows: valid, and their steps really run here.

The push workflow runs `.ci/run`, the command that is running these tests, so
its step is listed as skipped with that reason; the scheduled workflow's shard
job (the sweep of its slice, then the full own checks) runs for real, with the
shard count set so that each shard holds exactly one combination, on the shard
of the first service without a database, cache or telemetry: the whole space is
swept once per run, by tests/test_sweep.py, and the stack variants' gates check
the loaded services.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from keel import matrix, space
from keel.pipelines import github_plan, run_plan

pytestmark = pytest.mark.full

ROOT = space.TEMPLATE_ROOT
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
SPACE = space.current()


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_workflow_is_valid_and_lint_clean(workflow: Path) -> None:
    checked = subprocess.run(
        ["check-jsonschema", "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    linted = subprocess.run(
        [
            "yamllint",
            "--strict",
            "-d",
            "{extends: default, rules: {document-start: disable, "
            "truthy: {check-keys: false}, line-length: {max: 120}}}",
            str(workflow),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert linted.returncode == 0, linted.stdout


def test_push_workflow_runs_the_readme_test_command_through_ci_run() -> None:
    plan = github_plan(ROOT, Path(".github/workflows/ci.yml"))

    commands = [step.command for step in plan if step.command]
    assert commands == ["bash .ci/run"]
    assert "uv run just test" in (ROOT / "README.md").read_text()
    assert "uv run just test" in (ROOT / ".ci" / "run").read_text().splitlines()


def test_shards_cover_every_combination_once() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/combinations.yml").read_text())
    count = int(workflow["env"]["SHARDS"])
    assert workflow["jobs"]["shard"]["strategy"]["matrix"]["shard"] == list(range(1, count + 1))

    ids = [
        c.id for i in range(1, count + 1) for c in matrix.shard(SPACE.combinations, f"{i}/{count}")
    ]

    assert sorted(ids) == sorted(c.id for c in SPACE.combinations)


def _checkout_copy(destination: Path) -> Path:
    """The keel working tree (tracked and new files), as a fresh checkout would have it."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    for name in listed:
        source = ROOT / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    return destination


def _lightest_shard() -> int:
    """The shard, one combination each, of the first service without a database, cache
    or telemetry: its full own checks take a third of a loaded one's, and the stack
    variants' gates prove the loaded ones."""
    ordered = sorted(SPACE.combinations, key=lambda combination: combination.id)
    return 1 + next(
        index
        for index, combination in enumerate(ordered)
        if (combination.answers["database"], combination.answers["cache"]) == ("none", "none")
        and not (combination.answers["metrics"] or combination.answers["tracing"])
    )


def test_scheduled_workflow_sweeps_and_checks_one_shard_here(
    scratch: Path, record_property: Callable[[str, object], None]
) -> None:
    checkout = _checkout_copy(scratch / "workflow-checkout")
    single = str(len(SPACE.combinations))  # shards of one combination each
    shard = _lightest_shard()
    plan = [
        dataclasses.replace(
            step, env={**step.env, "SHARDS": single, "UV_PYTHON_DOWNLOADS": "never"}
        )
        for step in github_plan(
            checkout, Path(".github/workflows/combinations.yml"), matrix={"shard": shard}
        )
    ]

    outcomes = run_plan(plan, checkout)

    record_property(
        "timings", {step.name: round(step.seconds, 1) for _planned, step in outcomes if step}
    )
    failed = [step for _planned, step in outcomes if step is not None and not step.ok]
    assert not failed, f"{failed[0].name}\n{failed[0].first_error}"
    assert len(outcomes) == len(plan)
    only = matrix.shard(SPACE.combinations, f"{shard}/{single}")[0].id
    swept = json.loads((checkout / f"sweep-{shard}.json").read_text())
    assert (swept["combinations"], swept["failed"]) == (1, 0)
    assert swept["results"][0]["id"] == only
    checked = json.loads((checkout / f"shard-{shard}.json").read_text())
    assert (checked["checked"], checked["failed"]) == (1, 0)
    assert checked["results"][0]["name"] == only
