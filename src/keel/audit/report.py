"""How audit results are shown: a Rich table, JSON, SARIF 2.1.0 for code scanning."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from importlib.metadata import version
from typing import Any

from rich.markup import escape
from rich.table import Table

from keel.audit.model import Result, Rule, Severity, Standard, Status

STATUS_STYLE = {
    Status.PASS: "green",
    Status.FAIL: "red",
    Status.DEVIATION: "yellow",
    Status.NOT_APPLICABLE: "dim",
    Status.UNDECIDABLE: "blue",
    Status.TEAM: "blue",
}

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def counts(results: Sequence[Result]) -> str:
    """``12 pass, 1 fail, ...`` in status order."""
    tally = Counter(result.status for result in results)
    return ", ".join(f"{tally[status]} {status}" for status in Status if tally[status])


def table(results: Sequence[Result], title: str) -> Table:
    """One row per rule: ID, status, severity, title, where, reason."""
    grid = Table(title=title, caption=counts(results))
    for column in ("rule", "status", "severity", "title", "where", "reason"):
        grid.add_column(column, overflow="fold")
    for result in results:
        style = STATUS_STYLE[result.status]
        where = ", ".join(finding.where() for finding in result.findings[:3] if finding.where())
        grid.add_row(
            result.rule.id,
            f"[{style}]{result.status}[/]",
            str(result.rule.severity),
            escape(result.rule.title),
            escape(where),
            escape(result.reason),
        )
    return grid


def catalogue_table(standard: Standard, rules: Sequence[Rule]) -> Table:
    """The catalogue: ID, level, section, title, how it is decided."""
    grid = Table(title=f"{standard.name}: {len(rules)} rules")
    for column in ("rule", "level", "section", "title", "decided by"):
        grid.add_column(column, overflow="fold")
    for rule in rules:
        decided = "check" if rule.check else f"{rule.kind}: {rule.undecided}"
        grid.add_row(rule.id, rule.level, escape(rule.section), escape(rule.title), escape(decided))
    return grid


def as_json(standard: Standard, results: Sequence[Result]) -> str:
    """The results as a JSON document (``results`` holds one object per rule)."""
    document = {
        "standard": standard.name,
        "summary": {str(status): sum(r.status is status for r in results) for status in Status},
        "results": [result.as_json() for result in results],
    }
    return json.dumps(document, indent=2)


def _sarif_rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": f"{rule.title} ({rule.section}, {rule.level})"},
        "defaultConfiguration": {"level": "error" if rule.severity is Severity.MUST else "warning"},
        "properties": {
            "section": rule.section,
            "level": rule.level,
            "severity": str(rule.severity),
        },
    }


def _sarif_result(result: Result, index: int, standard: Standard) -> dict[str, Any]:
    locations = [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": finding.path, "uriBaseId": "%SRCROOT%"},
                **({"region": {"startLine": finding.line}} if finding.line else {}),
            }
        }
        for finding in result.findings
        if finding.path
    ] or [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "pyproject.toml", "uriBaseId": "%SRCROOT%"}
            }
        }
    ]
    sarif: dict[str, Any] = {
        "ruleId": result.rule.id,
        "ruleIndex": index,
        "level": "error" if result.rule.severity is Severity.MUST else "warning",
        "message": {"text": f"{result.rule.title}: {result.reason}"},
        "locations": locations,
        "properties": {"standard": standard.name, "status": str(result.status)},
    }
    if result.status is Status.DEVIATION:
        sarif["suppressions"] = [{"kind": "external", "justification": result.reason}]
    return sarif


def as_sarif(standard: Standard, results: Sequence[Result]) -> str:
    """SARIF 2.1.0: every audited rule in the driver, a result for each failure and deviation."""
    rules = [result.rule for result in results]
    reported = [
        _sarif_result(result, index, standard)
        for index, result in enumerate(results)
        if result.status in (Status.FAIL, Status.DEVIATION)
    ]
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "keel-audit",
                        "version": version("keel"),
                        "rules": [_sarif_rule(rule) for rule in rules],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": "./"}},
                "results": reported,
            }
        ],
    }
    return json.dumps(document, indent=2)
