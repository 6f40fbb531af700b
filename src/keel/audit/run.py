"""Run a standard's catalogue over a tree: one result per rule."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from keel.audit.model import Result, Rule, Severity, Standard, Status
from keel.audit.project import Project
from keel.errors import KeelError


def selected(rules: Iterable[Rule], select: Sequence[str], ignore: Sequence[str]) -> list[Rule]:
    """The rules whose ID starts with a ``select`` prefix (all without one), minus ``ignore``'s."""
    return [
        rule
        for rule in rules
        if (not select or rule.id.startswith(tuple(select)))
        and not rule.id.startswith(tuple(ignore))
    ]


def judge(rule: Rule, project: Project) -> Result:
    """Decide ``rule`` for ``project``, a documented deviation turning a failure into one."""
    if rule.check is None:
        status = Status.TEAM if rule.kind == "team" else Status.UNDECIDABLE
        return Result(rule, status, rule.undecided)
    verdict = rule.check(project)
    deviation = project.deviations.get(rule.id)
    if verdict.passed is None:
        return Result(rule, Status.NOT_APPLICABLE, verdict.reason)
    if verdict.passed:
        reason = verdict.reason
        if deviation:
            reason += "; it passes, so its documented deviation can go"
        return Result(rule, Status.PASS, reason, verdict.findings)
    if deviation:
        return Result(
            rule, Status.DEVIATION, f"{deviation} (found: {verdict.reason})", verdict.findings
        )
    return Result(rule, Status.FAIL, verdict.reason, verdict.findings)


def audit(
    root: Path,
    standard: Standard,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> list[Result]:
    """Audit the tree at ``root`` against ``standard``'s selected rules, in catalogue order."""
    if not root.is_dir():
        msg = f"{root} is not a directory: give the root of the project to audit"
        raise KeelError(msg)
    project = Project(root.resolve())
    known = {rule.id for rule in standard.rules}
    unknown_deviations = sorted(set(project.deviations) - known)
    if unknown_deviations and project.declared_standard in (None, standard.name):
        msg = (
            f"{root}/pyproject.toml documents deviations from rules {standard.name} "
            f"does not have: {', '.join(unknown_deviations)}; "
            f"`keel audit --list --standard {standard.name}` lists its rules"
        )
        raise KeelError(msg)
    return [judge(rule, project) for rule in selected(standard.rules, select, ignore)]


def failed_musts(results: Iterable[Result]) -> list[Result]:
    """The results that fail the audit: MUST rules that fail without a documented deviation."""
    return [r for r in results if r.status is Status.FAIL and r.rule.severity is Severity.MUST]
