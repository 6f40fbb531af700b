"""Running a rendered project's CI definitions on this machine.

A CI file that never ran is fiction: this module reads the rendered GitHub
workflow or GitLab pipeline and turns every job into an ordered list of shell
steps to run in the project, with the services of this machine standing in for
the CI service containers. Steps that only call a hosted action are mapped to
their local equivalent; steps that cannot run here are kept in the plan with the
reason, so a report shows them instead of silently dropping them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NotRequired, TypedDict, TypeGuard, cast

import yaml

from keel.errors import KeelError
from keel.own import Step, project_environment, run_step

GITHUB_WORKFLOW = Path(".github/workflows/ci.yml")
GITLAB_PIPELINE = Path(".gitlab-ci.yml")
PINNED_ACTION = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")

# Hosted actions and what stands in for them here.
LOCAL_EQUIVALENTS = {
    "actions/checkout": "the working directory is the checkout",
    "astral-sh/setup-uv": "uv is already installed (keel depends on it)",
    "actions/upload-artifact": "the files stay in the working directory",
}

# Commands that cannot run on this machine, by prefix, with the reason (the first
# prefix that matches gives it).
CANNOT_RUN_HERE = {
    "uv run just audit-standard": (
        "installs keel from the template's repository with uvx (minutes of keel's own "
        "dependencies); keel's tests audit every profile's render directly"
    ),
    "docker build": "no Docker engine here; the Dockerfile is checked by hadolint instead",
    "uv run just audit": "pip-audit needs pypi.org's JSON API, which this machine cannot reach",
    "apt-get": "installs system packages in the CI image; git is already installed here",
    "bash .ci/run": "keel's own test command: the run executing these tests is that step",
}

# GitLab service aliases and GitHub service names are reached on localhost here.
_SERVICE_HOST = re.compile(r"@(postgres|redis)(?=[:/])")


@dataclass(frozen=True)
class PlannedStep:
    """One step of a CI job, ready to run here or skipped with a reason."""

    job: str
    name: str
    command: str | None
    env: Mapping[str, str]
    skip_reason: str | None = None


_MATRIX_VALUE = re.compile(r"\$\{\{\s*matrix\.([\w-]+)\s*\}\}")
# A repository variable nobody set is an empty string on GitHub, as it is here.
_REPOSITORY_VARIABLE = re.compile(r"\$\{\{\s*vars\.[\w-]+\s*\}\}")


def _local_env(
    variables: Mapping[str, Any] | None, matrix: Mapping[str, Any] | None = None
) -> dict[str, str]:
    """CI variables as they apply here: service hosts on localhost, matrix values filled in."""

    def fill(value: Any) -> str:
        text = _SERVICE_HOST.sub("@127.0.0.1", str(value))
        text = _REPOSITORY_VARIABLE.sub("", text)
        return _MATRIX_VALUE.sub(lambda found: str((matrix or {})[found.group(1)]), text)

    return {key: fill(value) for key, value in (variables or {}).items()}


def _skip_reason(command: str) -> str | None:
    stripped = command.strip()
    return next(
        (reason for prefix, reason in CANNOT_RUN_HERE.items() if stripped.startswith(prefix)),
        None,
    )


class _GitLabJob(TypedDict):
    """The keys of a GitLab job that the plan reads."""

    stage: str
    script: list[str]
    before_script: NotRequired[list[str]]
    variables: NotRequired[dict[str, Any] | None]
    extends: NotRequired[str | list[str]]
    rules: NotRequired[list[dict[str, str]]]


def _load(path: Path) -> dict[str, Any]:
    try:
        data: object = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        msg = f"{path} does not exist"
        raise KeelError(msg) from None
    if not isinstance(data, dict):
        msg = f"{path} is not a YAML mapping"
        raise KeelError(msg)
    return cast("dict[str, Any]", data)  # a CI file's top-level keys are strings


def github_plan(
    project: Path,
    workflow_file: Path = GITHUB_WORKFLOW,
    matrix: Mapping[str, Any] | None = None,
) -> list[PlannedStep]:
    """Every step of every job of a GitHub workflow of `project`, in order.

    Args:
        project: The checkout the workflow belongs to.
        workflow_file: The workflow, relative to `project`.
        matrix: The values of one matrix entry, for jobs that use ``matrix``.

    Raises:
        KeelError: An action is not pinned to a full commit SHA, or is unknown here.
    """
    workflow = _load(project / workflow_file)
    workflow_env = _local_env(workflow.get("env"))
    plan: list[PlannedStep] = []
    for job_name, job in workflow["jobs"].items():
        env = {**workflow_env, **_local_env(job.get("env"), matrix)}
        for index, step in enumerate(job["steps"], start=1):
            name = step.get("name") or step.get("uses") or f"step {index}"
            if "uses" in step:
                action = step["uses"]
                if not PINNED_ACTION.match(action):
                    msg = f"{job_name}/{name}: action {action!r} is not pinned to a commit SHA"
                    raise KeelError(msg)
                reason = LOCAL_EQUIVALENTS.get(action.split("@")[0])
                if reason is None:
                    msg = f"{job_name}/{name}: no local equivalent for {action!r}"
                    raise KeelError(msg)
                plan.append(PlannedStep(job_name, name, None, env, f"local equivalent: {reason}"))
            else:
                command = step["run"]
                step_env = {**env, **_local_env(step.get("env"), matrix)}
                plan.append(PlannedStep(job_name, name, command, step_env, _skip_reason(command)))
    return plan


def gitlab_plan(project: Path, source: str = "push") -> list[PlannedStep]:
    """Every script line of the rendered GitLab pipeline's jobs for one pipeline source.

    Args:
        project: The checkout the pipeline belongs to.
        source: The ``$CI_PIPELINE_SOURCE`` of the run (``push``, ``schedule``...). A
            job without ``rules`` runs on every source; a job with rules runs on the
            sources its ``if`` conditions name (keel's pipelines use no other rules).
    """
    pipeline = _load(project / GITLAB_PIPELINE)
    defaults = pipeline.get("default", {})
    global_env = _local_env(pipeline.get("variables"))
    jobs = {
        name: _extended(pipeline, job)
        for name, job in pipeline.items()
        if _is_job(job) and not name.startswith(".")
    }
    stage_order: list[str] = pipeline.get("stages", [])
    plan: list[PlannedStep] = []
    for name, job in sorted(jobs.items(), key=lambda item: stage_order.index(item[1]["stage"])):
        if not _runs_on(job, source):
            continue
        env = {**global_env, **_local_env(job.get("variables"))}
        before: list[str] = job.get("before_script", defaults.get("before_script", []))
        lines = [*before, *job["script"]]
        plan.extend(PlannedStep(name, line, line, env, _skip_reason(line)) for line in lines)
    return plan


def _extended(pipeline: Mapping[str, Any], job: _GitLabJob) -> _GitLabJob:
    """A job with the hidden jobs it ``extends`` merged in, as GitLab merges them."""
    parents = job.get("extends", [])
    merged: dict[str, Any] = {}
    for parent in [parents] if isinstance(parents, str) else parents:
        merged = _deep_merge(merged, pipeline[parent])
    return cast("_GitLabJob", _deep_merge(merged, cast("dict[str, Any]", job)))


def _deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        below = merged.get(key)
        if isinstance(value, dict) and isinstance(below, dict):
            merged[key] = _deep_merge(cast("dict[str, Any]", below), cast("dict[str, Any]", value))
        else:
            merged[key] = value
    return merged


def _runs_on(job: _GitLabJob, source: str) -> bool:
    rules = job.get("rules")
    if rules is None:
        return True
    return any(f'$CI_PIPELINE_SOURCE == "{source}"' in rule.get("if", "") for rule in rules)


def _is_job(entry: object) -> TypeGuard[_GitLabJob]:
    """Whether a top-level entry of a GitLab pipeline is a job (a mapping with a script)."""
    return isinstance(entry, dict) and "script" in entry


def run_plan(
    plan: list[PlannedStep], project: Path, runner_env: Mapping[str, str] | None = None
) -> list[tuple[PlannedStep, Step | None]]:
    """Run the plan's runnable steps in order in `project`, stopping at a failure.

    Args:
        plan: The steps, from `github_plan` or `gitlab_plan`.
        project: The checkout to run them in.
        runner_env: What the CI runner would provide (``RUNNER_TEMP``, a ``PATH``
            with stand-ins for hosted tools), under the steps' own variables.

    Returns:
        Each planned step with its outcome (``None`` for skipped steps).
    """
    outcomes: list[tuple[PlannedStep, Step | None]] = []
    for planned in plan:
        if planned.command is None or planned.skip_reason is not None:
            outcomes.append((planned, None))
            continue
        step = run_step(
            f"{planned.job}: {planned.name}",
            ["bash", "-eo", "pipefail", "-c", planned.command],
            project,
            project_environment(**{**(runner_env or {}), **planned.env}),
        )
        outcomes.append((planned, step))
        if not step.ok:
            break
    return outcomes
