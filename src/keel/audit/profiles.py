"""Each named profile's render, audited against its own standard: docs/profiles.md's tables."""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from keel import space
from keel.audit.model import Result, Severity, Status
from keel.audit.run import audit
from keel.audit.standards import resolve
from keel.render import DEMO_ANSWERS, render

# How docs/profiles.md words each status.
STATUS_WORDS = {
    Status.PASS: "followed",
    Status.FAIL: "**broken**",
    Status.DEVIATION: "deviation",
    Status.NOT_APPLICABLE: "n/a",
    Status.UNDECIDABLE: "not decidable from files",
    Status.TEAM: "left to the team",
}


def audit_profiles(profiles: Sequence[str]) -> dict[str, list[Result]]:
    """Render each profile's defaults as ``copier copy`` does and audit them against its standard.

    Raises:
        KeelError: A render failed (its message says why).
    """
    audited: dict[str, list[Result]] = {}
    with tempfile.TemporaryDirectory(prefix="keel-audit-") as directory:
        for profile in profiles:
            project = render({**DEMO_ANSWERS, "profile": profile}, Path(directory) / profile)
            audited[profile] = audit(project, resolve(profile))
    return audited


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def summary_markdown(by_profile: dict[str, list[Result]]) -> str:
    """One row per profile: its MUST-class rules by status, and the share followed."""
    lines = [
        "| profile | standard | MUST rules | followed | deviation | broken "
        "| left to the team | not decidable | n/a | followed of decidable |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines.extend(summary_row(profile, results) for profile, results in by_profile.items())
    return "\n".join(lines) + "\n"


def summary_row(profile: str, results: Sequence[Result]) -> str:
    """The summary's row of one profile."""
    standard = space.load().profile_standards[profile]
    musts = [result for result in results if result.rule.severity is Severity.MUST]
    tally = Counter(result.status for result in musts)
    decided = tally[Status.PASS] + tally[Status.FAIL] + tally[Status.DEVIATION]
    share = f"{tally[Status.PASS] / decided:.0%}" if decided else "n/a"
    return (
        f"| `{profile}` | {standard}.md | {len(musts)} | {tally[Status.PASS]} "
        f"| {tally[Status.DEVIATION]} | {tally[Status.FAIL]} | {tally[Status.TEAM]} "
        f"| {tally[Status.UNDECIDABLE]} | {tally[Status.NOT_APPLICABLE]} | {share} |"
    )


def rules_markdown(results: Sequence[Result]) -> str:
    """Every rule of the profile's standard: its level, status and the reason."""
    lines = ["| rule | level | section | requirement | status | why |", "|---|---|---|---|---|---|"]
    for result in results:
        rule = result.rule
        lines.append(
            f"| {rule.id} | {rule.level} | {_cell(rule.section)} | {_cell(rule.title)} "
            f"| {STATUS_WORDS[result.status]} | {_cell(result.reason)} |"
        )
    return "\n".join(lines) + "\n"


def sections() -> dict[str, str]:
    """docs/profiles.md's generated sections: the summary, and each profile's rules."""
    by_profile = audit_profiles(space.load().named_profiles)
    generated = {"audit-summary": summary_markdown(by_profile)}
    for profile, results in by_profile.items():
        generated[f"audit-{profile}"] = rules_markdown(results)
    return generated
