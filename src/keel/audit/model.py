"""The rule catalogue's vocabulary: rules, what a check decides, and audit results."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from keel.errors import KeelError

if TYPE_CHECKING:
    from keel.audit.project import Project


class Severity(StrEnum):
    """How hard a standard makes a rule; ``must`` failures fail the audit."""

    MUST = "must"
    SHOULD = "should"


# The standards' own words for a requirement (their Priority Levels, MUST,
# MANDATORY, CRITICAL, NEVER/ALWAYS lists) and the severity each means.
MUST_LEVELS = frozenset({"HARD", "MUST", "MANDATORY", "CRITICAL", "REQUIRED", "NEVER"})
SHOULD_LEVELS = frozenset({"DEFAULT", "SHOULD", "RECOMMENDED"})


class Status(StrEnum):
    """What the audit says about one rule in one tree."""

    PASS = "pass"
    FAIL = "fail"
    DEVIATION = "deviation"  # fails, and the project documents why
    NOT_APPLICABLE = "n/a"  # the tree has nothing the rule is about
    UNDECIDABLE = "undecidable"  # no file can show it (a process, a runtime fact)
    TEAM = "team"  # the template cannot decide it for the team


@dataclass(frozen=True)
class Finding:
    """One place where a rule is broken (or, for a pass, shown)."""

    message: str
    path: str | None = None
    line: int | None = None

    def where(self) -> str:
        """``path:line``, ``path`` or the empty string."""
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class Verdict:
    """What a check decides: passed (True/False, None when the rule does not apply)."""

    passed: bool | None
    reason: str
    findings: tuple[Finding, ...] = ()


def passed(reason: str) -> Verdict:
    """The rule holds; ``reason`` says what shows it."""
    return Verdict(passed=True, reason=reason)


def failed(reason: str, findings: Iterable[Finding] = ()) -> Verdict:
    """The rule is broken; ``findings`` point at where."""
    return Verdict(passed=False, reason=reason, findings=tuple(findings))


def not_applicable(reason: str) -> Verdict:
    """The tree has nothing the rule is about (no database, no Dockerfile)."""
    return Verdict(passed=None, reason=reason)


def verdict_of(findings: Iterable[Finding], *, ok: str, broken: str) -> Verdict:
    """Pass when there are no findings, else fail with them."""
    found = tuple(findings)
    return failed(broken, found) if found else passed(ok)


type Check = Callable[["Project"], Verdict]

RULE_ID = re.compile(r"^[A-Z]+(-[A-Z0-9]+)+-\d{3}$")


@dataclass(frozen=True)
class Rule:
    """One requirement of a standard.

    Attributes:
        id: stable ID, ``<PREFIX>-<AREA>-<NNN>`` (``LS-ASYNC-002``); never reused.
        title: one line, the requirement as the standard states it.
        section: the standard's heading (and number, where it has one).
        level: the standard's own word (HARD, MUST, MANDATORY, CRITICAL, DEFAULT, ...).
        check: decides it from the files; None when it cannot be decided.
        undecided: why there is no check (``kind`` says which kind of why).
        kind: ``check``, ``undecidable`` (no file can show it) or ``team``.
    """

    id: str
    title: str
    section: str
    level: str
    check: Check | None = None
    undecided: str = ""
    kind: str = "check"

    @property
    def severity(self) -> Severity:
        """``must`` for the standard's hard words, ``should`` for the rest."""
        return Severity.MUST if self.level in MUST_LEVELS else Severity.SHOULD


@dataclass
class Standard:
    """A written standard's rule catalogue.

    Catalogue modules build one and add rules with `rule` (a decorator for the
    check), `undecidable` and `team`.
    """

    name: str  # the file stem in ../shared/standards/
    title: str
    prefix: str
    rules: list[Rule] = field(default_factory=list[Rule])

    def _add(self, rule: Rule) -> None:
        if not RULE_ID.match(rule.id) or not rule.id.startswith(f"{self.prefix}-"):
            msg = f"rule ID {rule.id!r} must look like {self.prefix}-AREA-001"
            raise KeelError(msg)
        if rule.level not in MUST_LEVELS | SHOULD_LEVELS:
            msg = (
                f"{rule.id}: level {rule.level!r} is none of {sorted(MUST_LEVELS | SHOULD_LEVELS)}"
            )
            raise KeelError(msg)
        if any(known.id == rule.id for known in self.rules):
            msg = f"rule ID {rule.id} is used twice in {self.name}"
            raise KeelError(msg)
        self.rules.append(rule)

    def rule(
        self, rule_id: str, title: str, *, section: str, level: str
    ) -> Callable[[Check], Check]:
        """Register the decorated function as the check of a rule."""

        def register(check: Check) -> Check:
            self._add(Rule(rule_id, title, section, level, check=check))
            return check

        return register

    def undecidable(
        self, rule_id: str, title: str, *, section: str, level: str, reason: str
    ) -> None:
        """A rule no file can show (a process, a habit, a runtime fact): say why."""
        self._add(Rule(rule_id, title, section, level, undecided=reason, kind="undecidable"))

    def team(self, rule_id: str, title: str, *, section: str, level: str, reason: str) -> None:
        """A rule the template leaves to the team that owns the service: say why."""
        self._add(Rule(rule_id, title, section, level, undecided=reason, kind="team"))


@dataclass(frozen=True)
class Result:
    """The audit's answer for one rule."""

    rule: Rule
    status: Status
    reason: str
    findings: tuple[Finding, ...] = ()

    def as_json(self) -> dict[str, object]:
        """The JSON form: id, title, severity, status, reason, and the rest."""
        return {
            "id": self.rule.id,
            "title": self.rule.title,
            "section": self.rule.section,
            "level": self.rule.level,
            "severity": str(self.rule.severity),
            "status": str(self.status),
            "reason": self.reason,
            "findings": [
                {"message": f.message, "path": f.path, "line": f.line} for f in self.findings
            ],
        }
