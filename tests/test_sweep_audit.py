"""`keel sweep --profile` and `keel check --audit`: combinations audited against their standard.

A named profile's combinations are swept and each is audited as `copier copy`
writes it; a MUST rule one of them breaks fails the sweep, naming the
combination, the rule and where. The catalogues' own rules are tested in
tests/audit/; here a rule every project breaks is planted in one, so that
these tests say nothing about the template's state and stay a few seconds long.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from keel import space
from keel.audit import STANDARDS, Rule
from keel.audit.model import Finding, Verdict, failed
from keel.audit.project import Project
from keel.cli import app
from keel.own import GateResult
from keel.sweep import is_profile_defaults

pytestmark = [pytest.mark.full, pytest.mark.xdist_group("sweep-audit")]

SPACE = space.current()
PROFILE = "org-standard"
STANDARD = "python-org-standard"
DEFAULTS = next(
    c for c in SPACE.combinations if is_profile_defaults(c) and c.answers["profile"] == PROFILE
)


def _variant(**changed: Any) -> space.Combination:
    """The combination of DEFAULTS' profile with these answers changed and no other."""
    wanted = {name: changed.get(name, DEFAULTS.answers[name]) for name in SPACE.names}
    return next(c for c in SPACE.combinations if all(c.answers[n] == v for n, v in wanted.items()))


# A second combination of the profile, off its defaults: another cache backend.
VARIANT = _variant(cache="redis")
ELSEWHERE = _variant(profile="custom")  # another profile's: --profile leaves it out
PLANTED = "ORG-PLANT-001"


def _broken_everywhere(_project: Project) -> Verdict:
    return failed("planted by the test", [Finding("a planted finding", "pyproject.toml", 3)])


def _plant(monkeypatch: pytest.MonkeyPatch) -> None:
    """A MUST rule of the profile's standard that every project breaks (at pyproject.toml:3)."""
    standard = STANDARDS[STANDARD]
    rule = Rule(PLANTED, "Planted by keel's tests", "§0 Planted", "MUST", _broken_everywhere)
    monkeypatch.setattr(standard, "rules", [*standard.rules, rule])


@pytest.fixture
def planted(monkeypatch: pytest.MonkeyPatch) -> None:
    """The planted rule, for one test."""
    _plant(monkeypatch)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One file-check cache for the module: a second sweep of the same files checks none again."""
    return tmp_path_factory.mktemp("sweep-audit") / "cache.json"


def _sweep(
    results: Path, cache: Path, *combinations: space.Combination
) -> tuple[int, str, dict[str, Any]]:
    """`keel sweep --profile` of these combinations (IDs given with --only)."""
    args = ["sweep", "--profile", PROFILE, "--results", str(results), "--cache", str(cache)]
    for combination in combinations:
        args += ["--only", combination.id]
    outcome = CliRunner().invoke(app, [*args, "--jobs", "1"])
    report: dict[str, Any] = json.loads(results.read_text()) if results.exists() else {}
    return outcome.exit_code, outcome.output, report


def test_a_profiles_combinations_pass_the_audit_of_its_standard(
    tmp_path: Path, cache: Path
) -> None:
    code, output, report = _sweep(tmp_path / "sweep.json", cache, DEFAULTS, VARIANT, ELSEWHERE)

    assert code == 0, output
    assert [entry["id"] for entry in report["results"]] == [DEFAULTS.id, VARIANT.id]
    for entry in report["results"]:
        assert entry["audit"]["standard"] == STANDARD
        assert entry["audit"]["ok"], entry["audit"]["failed_musts"]
        assert entry["audit"]["musts"]["pass"] > 0
    assert report["broken_musts"] == []
    assert report["stats"]["audited"] == 2
    assert "audited against their standard" in output


def test_a_must_rule_a_combination_breaks_fails_the_sweep(
    tmp_path: Path, cache: Path, planted: None
) -> None:
    code, output, report = _sweep(tmp_path / "sweep.json", cache, DEFAULTS)

    assert code == 1
    named = f"{DEFAULTS.id} ({DEFAULTS.label})"
    assert f"first: {named} (pyproject.toml: [audit] line 3: {PLANTED} (MUST) broken" in output
    assert f"Reproduce: uv run keel sweep --only {DEFAULTS.id} --audit" in output
    assert report["failed"] == 1
    [entry] = report["results"]
    assert entry["audit"]["failed_musts"] == [
        {
            "rule": PLANTED,
            "level": "MUST",
            "title": "Planted by keel's tests",
            "reason": "planted by the test",
            "path": "pyproject.toml",
            "line": 3,
            "detail": "a planted finding",
            "places": 1,
        }
    ]
    [broken] = report["broken_musts"]
    assert broken["rule"] == PLANTED
    assert broken["combinations"] == 1
    assert broken["where"] == "pyproject.toml:3"
    assert broken["profile_defaults"]

    custom = CliRunner().invoke(app, ["sweep", "--profile", "custom"])
    assert custom.exit_code == 1
    assert "custom follows no standard" in custom.output


def test_check_audits_a_project_against_its_declared_standard(
    tmp_path: Path, default_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The gate is another test's subject: here it passes at once, the audit decides."""

    def copy_default(_answers: dict[str, Any], destination: Path) -> Path:
        skipped = shutil.ignore_patterns(".venv", ".git", "*cache*", "__pycache__")
        shutil.copytree(default_project, destination, ignore=skipped)
        return destination

    def no_gate(project: Path, **_options: object) -> GateResult:
        return GateResult(project)

    monkeypatch.setattr("keel.checkrun.render", copy_default)
    monkeypatch.setattr("keel.checkrun.run_gate", no_gate)
    results = tmp_path / "check.json"
    args = ["check", DEFAULTS.id, "--audit", "--no-cache", "--results", str(results)]

    passing = CliRunner().invoke(app, [*args, "--dest", str(tmp_path / "passing")])

    assert passing.exit_code == 0, passing.output
    assert f"every MUST rule of {STANDARD} holds" in passing.output
    _plant(monkeypatch)

    outcome = CliRunner().invoke(app, [*args, "--dest", str(tmp_path / "failing")])

    assert outcome.exit_code == 1, outcome.output
    assert "FAILED (audit)" in outcome.output
    assert f"1 failed; first: {DEFAULTS.id} ({DEFAULTS.label})" in outcome.output
    [entry] = json.loads(results.read_text())["results"]
    assert entry["audit"]["standard"] == STANDARD
    assert [failure["rule"] for failure in entry["audit"]["failed_musts"]] == [PLANTED]
    assert entry["reproduce"].endswith("--audit")
