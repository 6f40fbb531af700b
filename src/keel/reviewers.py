"""What the third-party checkers a reviewer runs say about a rendered service.

deptry (declared dependencies against imports), zizmor (the GitHub workflows) and
scientific-python's repo-review (sp-repo-review: packaging, pytest, ruff, type
checker, pre-commit and GitHub settings) come back clean on every named profile.
repo-review also checks what a published library needs and what a service does
another way; those checks are in `NOT_APPLICABLE`, each with its reason. The
rendered `[tool.deptry]` table tells deptry what it cannot see for itself; each of
its exceptions is in `DEPTRY_EXCEPTIONS`. tests/test_reviewers.py holds every
profile's render to both tables, and docs/reviewers.md is generated from them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

_LOCAL_HOOKS = (
    "The service's pre-commit hooks are `repo: local` hooks that run its locked dev tools "
    "with `uv run` (offline, the versions CI runs); repo-review recognises a hook only by "
    "its upstream repository."
)


@dataclass(frozen=True)
class Exemption:
    """Why a repo-review check does not apply, and to which services."""

    reason: str
    # (question, answer): the check is exempt only for services with that answer.
    when: tuple[str, object] | None = None

    def applies_to(self, answers: Mapping[str, object]) -> bool:
        """Whether a service with these answers (profile presets included) is exempt."""
        return self.when is None or answers.get(self.when[0]) == self.when[1]


NOT_APPLICABLE: dict[str, Exemption] = {
    "PY003": Exemption(
        "A service is deployed, not distributed: its licence is its organisation's to "
        "choose, and keel asks no licence question."
    ),
    "PY007": Exemption(
        "The service's task runner is `just` (the Justfile: lint, typecheck, test, "
        "check...), which repo-review does not recognise; `nox_sessions` adds a noxfile.",
        when=("nox_sessions", False),
    ),
    "PP005": Exemption(
        "Skipped by repo-review without `project.license` (PY003): no licence, no "
        "licence classifiers."
    ),
    "MY100": Exemption(
        "Type-checked by pyright in strict mode (`[tool.pyright]`), which repo-review "
        "does not recognise (it knows mypy, pyrefly and ty).",
        when=("type_checker", "pyright"),
    ),
    **{
        check: Exemption(
            "A mypy setting, skipped by repo-review without `[tool.mypy]` (MY100); pyright "
            "strict reports the same problems.",
            when=("type_checker", "pyright"),
        )
        for check in ("MY101", "MY102", "MY103", "MY104", "MY105", "MY106")
    },
    "PC100": Exemption(
        f"{_LOCAL_HOOKS} pre-commit-hooks' checks (whitespace, end of files, YAML, TOML, "
        "merge conflicts, no commit to main) run that way."
    ),
    "PC110": Exemption(f"{_LOCAL_HOOKS} `ruff format` runs that way."),
    "PC111": Exemption(
        "Skipped by repo-review after PC110; the service's docs are Markdown pages "
        "without Python examples to format."
    ),
    "PC140": Exemption(f"{_LOCAL_HOOKS} The strict type checker (pyright or mypy) runs that way."),
    "PC160": Exemption(
        f"{_LOCAL_HOOKS} No spell checker comes with the service: its word list (domain "
        "terms, names) is the team's own; typos or codespell fit as one more local hook."
    ),
    "PC170": Exemption("Needed only with reStructuredText; the service's docs are Markdown."),
    "PC180": Exemption(
        f"{_LOCAL_HOOKS} No Markdown formatter comes with the service: its Markdown is "
        "a README, a changelog git-cliff writes, and MkDocs pages."
    ),
    "PC190": Exemption(f"{_LOCAL_HOOKS} `ruff check --fix` runs that way."),
    "PC191": Exemption(
        "Skipped by repo-review after PC190; the local ruff hook runs with `--show-fixes`."
    ),
    "PC192": Exemption(
        "Skipped by repo-review after PC190; the local ruff hook is `ruff-check`, not `ruff`."
    ),
    **{
        check: Exemption(
            f"A pre-commit.ci setting ({setting}). pre-commit.ci does not run "
            "`language: system` hooks; the service's own CI runs the same tools "
            "(`just lint`, `just typecheck`, `just test-cov`)."
        )
        for check, setting in (
            ("PC901", "autoupdate_commit_msg"),
            ("PC902", "autofix_commit_msg"),
            ("PC903", "autoupdate_schedule"),
        )
    },
    "SEC001": Exemption(
        "zizmor audits the workflows from the lock: `just lint` (CI's lint job) and a "
        "local pre-commit hook run `zizmor --offline`; repo-review recognises only its "
        "upstream hook repository or zizmor-action.",
        when=("ci", "github"),
    ),
}

# What the rendered `[tool.deptry]` table tells deptry, by key, and why.
DEPTRY_EXCEPTIONS: dict[str, dict[str, str]] = {
    "known_first_party": {
        "<package_name>": "The package lives in src/; deptry finds first-party modules "
        "in the project root only."
    },
    "extend_exclude": {
        "scripts": "Development scripts (dev server, local database, benchmarks, template "
        "update): they run with the dev group and never ship in the image, like tests/.",
        "noxfile\\.py": "The nox sessions (with `nox_sessions`): development code, like tests/.",
    },
    "package_module_name_map": {
        "mkdocs-material": "The docs group is not installed by default; its import name "
        "(`material`) is named instead of installed."
    },
    "per_rule_ignores.DEP002": {
        "asyncpg": "Declared and needed, never imported: SQLAlchemy loads the driver "
        "from `DATABASE_URL`'s scheme.",
        "python-multipart": "Declared and needed, never imported here: FastAPI imports it "
        "to read the login form.",
    },
}


def not_applicable(answers: Mapping[str, object]) -> dict[str, str]:
    """The repo-review checks exempt for a service with `answers`, with the reasons.

    Args:
        answers: The service's answers with its profile's presets (the fine-tunes a
            named profile does not record).
    """
    return {
        check: exemption.reason
        for check, exemption in NOT_APPLICABLE.items()
        if exemption.applies_to(answers)
    }


def repo_review_results(report: str) -> dict[str, bool | None]:
    """Each check of `repo-review --format json`'s report: passed, failed or skipped (None)."""
    parsed = cast("dict[str, Any]", json.loads(report))
    checks = cast("dict[str, dict[str, Any]]", parsed["checks"])
    return {check: cast("bool | None", result["result"]) for check, result in checks.items()}


def repo_review_problems(
    results: Mapping[str, bool | None], answers: Mapping[str, object]
) -> list[str]:
    """What keeps a service's repo-review report from matching `NOT_APPLICABLE`.

    A check that applies and did not pass; an exempt check repo-review no longer
    runs, or that now passes: the table must not go stale.
    """
    exempt = not_applicable(answers)
    problems = [
        f"{check}: {'skipped' if result is None else 'failed'}"
        for check, result in results.items()
        if check not in exempt and result is not True
    ]
    problems += [
        f"{check}: exempt, but repo-review has no such check"
        for check in exempt
        if check not in results
    ]
    problems += [
        f"{check}: exempt, but it passes (remove it from keel.reviewers.NOT_APPLICABLE)"
        for check in exempt
        if results.get(check) is True
    ]
    return problems


def deptry_config_problems(config: Mapping[str, Any], package_name: str) -> list[str]:
    """Entries of a rendered `[tool.deptry]` table that `DEPTRY_EXCEPTIONS` does not explain."""
    found: dict[str, list[str]] = {}
    for key, value in config.items():
        if key == "per_rule_ignores":
            for rule, names in cast("dict[str, list[str]]", value).items():
                found[f"per_rule_ignores.{rule}"] = list(names)
        elif isinstance(value, dict):
            found[key] = list(cast("dict[str, str]", value))
        else:
            found[key] = [str(item) for item in cast("list[object]", value)]
    return [
        f"[tool.deptry] {key}: {entry}"
        for key, entries in found.items()
        for entry in entries
        if entry.replace(package_name, "<package_name>") not in DEPTRY_EXCEPTIONS.get(key, {})
    ]


def markdown() -> str:
    """docs/reviewers.md's section: the exempt repo-review checks, then deptry's exceptions."""
    lines = [
        "| check | services | why it does not pass |",
        "|---|---|---|",
        *(
            f"| {check} | {_services(exemption)} | {exemption.reason} |"
            for check, exemption in NOT_APPLICABLE.items()
        ),
        "",
        "deptry finds no issue once the rendered `[tool.deptry]` table tells it what it "
        "cannot see for itself. Each of its entries, and why (a profile's table holds "
        "the ones its answers need):",
        "",
        "| `[tool.deptry]` key | entry | why |",
        "|---|---|---|",
        *(
            f"| `{key}` | `{entry}` | {reason} |"
            for key, entries in DEPTRY_EXCEPTIONS.items()
            for entry, reason in entries.items()
        ),
    ]
    return "\n".join(lines) + "\n"


def _services(exemption: Exemption) -> str:
    if exemption.when is None:
        return "every"
    question, answer = exemption.when
    return f"`{question}: {json.dumps(answer)}`"
