"""``keel audit``: statuses, deviations, exit codes and the three output formats.

A small standard made here keeps these tests about the engine and the CLI; each
real catalogue's rules have their own trees under tests/audit/.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from keel import cli, output, space
from keel.audit import STANDARDS, Project, Standard, Status, audit, resolve
from keel.audit.checks import requires_files
from keel.audit.model import Finding, Verdict, failed, not_applicable, passed
from keel.errors import KeelError

RUNNER = CliRunner()

SAMPLE = Standard(name="sample-standard", title="A sample", prefix="SMP")
SAMPLE.rule("SMP-FILE-001", "A README exists", section="§1 Files", level="MUST")(
    requires_files("README.md")
)


@SAMPLE.rule("SMP-CODE-001", "Never print", section="§2 Code", level="NEVER")
def never_print(project: Project) -> Verdict:
    """``print(`` in the package."""
    if project.package is None:
        return not_applicable("no package")
    found = project.grep(r"\bprint\(", project.python_files(), "prints")
    return failed("the package prints", found) if found else passed("nothing prints")


@SAMPLE.rule("SMP-CODE-002", "Prefer short modules", section="§2 Code", level="SHOULD")
def short_modules(project: Project) -> Verdict:
    """Modules of 3 lines or fewer."""
    long = [
        Finding("long module", project.rel(path))
        for path in project.python_files()
        if len(path.read_text().splitlines()) > 3
    ]
    return failed("long modules", long) if long else passed("short modules")


SAMPLE.undecidable(
    "SMP-PROC-001", "Review every change", section="§3", level="MUST", reason="a process"
)
SAMPLE.team("SMP-PROC-002", "Release monthly", section="§3", level="MUST", reason="their cadence")


def tree(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    return root


@pytest.fixture(autouse=True)
def sample_standard(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample standard is known by name; tables are wide enough not to fold."""
    monkeypatch.setitem(STANDARDS, SAMPLE.name, SAMPLE)
    monkeypatch.setattr(output, "console", Console(width=400))
    monkeypatch.setattr(output, "errors", Console(stderr=True, width=400))


def statuses(root: Path) -> dict[str, Status]:
    return {result.rule.id: result.status for result in audit(root, SAMPLE)}


def test_each_rule_gets_its_status(tmp_path: Path) -> None:
    root = tree(tmp_path, {"src/svc/__init__.py": "print('hi')\n"})

    assert statuses(root) == {
        "SMP-FILE-001": Status.FAIL,
        "SMP-CODE-001": Status.FAIL,
        "SMP-CODE-002": Status.PASS,
        "SMP-PROC-001": Status.UNDECIDABLE,
        "SMP-PROC-002": Status.TEAM,
    }


def test_a_rule_about_nothing_in_the_tree_is_not_applicable(tmp_path: Path) -> None:
    assert statuses(tree(tmp_path, {"README.md": ""}))["SMP-CODE-001"] is Status.NOT_APPLICABLE


def test_a_documented_deviation_is_its_own_status_never_a_pass(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {
            "README.md": "",
            "src/svc/__init__.py": "print('hi')\n",
            "pyproject.toml": (
                '[tool.keel.audit]\nstandard = "sample-standard"\n'
                '[tool.keel.audit.deviations]\n"SMP-CODE-001" = "the CLI prints by design"\n'
                '"SMP-FILE-001" = "no longer needed"\n'
            ),
        },
    )

    [code, readme] = [
        r for r in audit(root, SAMPLE) if r.rule.id in {"SMP-CODE-001", "SMP-FILE-001"}
    ][::-1]

    assert code.status is Status.DEVIATION
    assert code.reason.startswith("the CLI prints by design")
    assert code.findings[0].where() == "src/svc/__init__.py:1"
    assert readme.status is Status.PASS
    assert "deviation can go" in readme.reason


def test_a_deviation_from_a_rule_the_standard_lacks_is_refused(tmp_path: Path) -> None:
    root = tree(
        tmp_path, {"pyproject.toml": '[tool.keel.audit.deviations]\n"SMP-NOPE-001" = "x"\n'}
    )

    with pytest.raises(KeelError, match=r"SMP-NOPE-001.*keel audit --list"):
        audit(root, SAMPLE)


def test_select_and_ignore_take_id_prefixes(tmp_path: Path) -> None:
    results = audit(tmp_path, SAMPLE, select=["SMP-CODE", "SMP-PROC"], ignore=["SMP-PROC-002"])

    assert [r.rule.id for r in results] == ["SMP-CODE-001", "SMP-CODE-002", "SMP-PROC-001"]


def test_standards_are_named_by_file_stem_or_by_profile() -> None:
    for profile, stem in space.load().profile_standards.items():
        assert resolve(profile) is resolve(stem) is resolve(f"{stem}.md")
    with pytest.raises(KeelError, match=r"no standard or profile named 'nope': choose one of"):
        resolve("nope")


def test_catalogue_ids_are_stable_and_unique() -> None:
    with pytest.raises(KeelError, match="used twice"):
        SAMPLE.undecidable("SMP-PROC-001", "again", section="", level="MUST", reason="")
    with pytest.raises(KeelError, match="must look like SMP-AREA-001"):
        SAMPLE.team("XYZ-PROC-001", "other prefix", section="", level="MUST", reason="")
    with pytest.raises(KeelError, match="level 'OFTEN'"):
        SAMPLE.team("SMP-PROC-009", "bad level", section="", level="OFTEN", reason="")


def invoke(*args: str) -> tuple[int, str]:
    result = RUNNER.invoke(cli.app, ["audit", *args])
    return result.exit_code, result.output


def test_the_cli_exits_1_when_a_must_rule_fails_and_0_otherwise(tmp_path: Path) -> None:
    broken = tree(tmp_path / "broken", {"src/svc/__init__.py": "print('hi')\n"})
    sound = tree(tmp_path / "sound", {"README.md": "", "src/svc/__init__.py": "x = 1\n"})
    only_should = tree(
        tmp_path / "should",
        {"README.md": "", "src/svc/__init__.py": "a = 1\nb = 2\nc = 3\nd = 4\n"},
    )

    assert invoke(str(broken), "--standard", "sample-standard")[0] == 1
    assert invoke(str(sound), "--standard", "sample-standard")[0] == 0
    code, shown = invoke(str(only_should), "--standard", "sample-standard")
    assert code == 0
    assert "SMP-CODE-002" in shown
    assert "fail" in shown


def test_the_standard_defaults_to_the_one_pyproject_names(tmp_path: Path) -> None:
    named = tree(
        tmp_path / "named", {"pyproject.toml": '[tool.keel.audit]\nstandard = "sample-standard"\n'}
    )
    unnamed = tree(tmp_path / "unnamed", {"README.md": ""})

    assert "sample-standard" in invoke(str(named))[1]
    code, shown = invoke(str(unnamed))
    assert code == 2
    assert "does not say which standard it follows" in shown
    assert "pass --standard" in shown


def test_json_results_carry_id_title_severity_status_reason(tmp_path: Path) -> None:
    root = tree(tmp_path, {"src/svc/__init__.py": "print('hi')\n"})

    code, shown = invoke(str(root), "--standard", "sample-standard", "--format", "json")
    document: dict[str, Any] = json.loads(shown)

    assert code == 1
    by_id = {result["id"]: result for result in document["results"]}
    assert by_id["SMP-CODE-001"] | {"findings": None} == {
        "id": "SMP-CODE-001",
        "title": "Never print",
        "section": "§2 Code",
        "level": "NEVER",
        "severity": "must",
        "status": "fail",
        "reason": "the package prints",
        "findings": None,
    }
    assert by_id["SMP-CODE-001"]["findings"] == [
        {"message": "prints", "path": "src/svc/__init__.py", "line": 1}
    ]
    assert document["summary"]["fail"] == 2


def test_sarif_has_every_rule_and_a_located_result_per_failure(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {
            "src/svc/__init__.py": "print('hi')\n",
            "pyproject.toml": (
                '[tool.keel.audit.deviations]\n"SMP-FILE-001" = "docs live elsewhere"\n'
            ),
        },
    )

    _, shown = invoke(str(root), "--standard", "sample-standard", "--format", "sarif")
    document: dict[str, Any] = json.loads(shown)

    assert document["version"] == "2.1.0"
    [run] = document["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [rule.id for rule in SAMPLE.rules]
    results = {result["ruleId"]: result for result in run["results"]}
    assert set(results) == {"SMP-FILE-001", "SMP-CODE-001"}
    printing = results["SMP-CODE-001"]
    assert rules[printing["ruleIndex"]]["id"] == "SMP-CODE-001"
    assert printing["level"] == "error"
    location = printing["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "src/svc/__init__.py"
    assert location["region"] == {"startLine": 1}
    assert results["SMP-FILE-001"]["suppressions"][0]["kind"] == "external"


def test_list_prints_the_catalogue_with_how_each_rule_is_decided() -> None:
    code, shown = invoke("--standard", "sample-standard", "--list")

    assert code == 0
    for rule in SAMPLE.rules:
        assert rule.id in shown
    assert "undecidable: a process" in shown
    assert "team: their cadence" in shown


def test_a_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    code, shown = invoke(str(tmp_path / "absent"), "--standard", "sample-standard")

    assert code == 2
    assert "is not a directory" in shown


def test_every_named_profile_has_a_catalogue_of_the_standard_its_label_names() -> None:
    template = space.load()
    labels = dict(
        zip(
            template.questions["profile"].choices, template.questions["profile"].labels, strict=True
        )
    )
    standards_dir = space.TEMPLATE_ROOT.parent / "shared" / "standards"

    assert sorted(template.profile_standards) == sorted(template.named_profiles)
    for profile, stem in template.profile_standards.items():
        assert f"({stem}.md)" in labels[profile]
        assert stem in STANDARDS
        assert (standards_dir / f"{stem}.md").is_file()


def test_every_documented_deviation_names_a_rule_of_its_standard() -> None:
    deviations = space.load().questions["standard_deviations"].default

    for stem, by_rule in deviations.items():
        known = {rule.id for rule in STANDARDS[stem].rules}
        assert set(by_rule) <= known, f"{stem}: {sorted(set(by_rule) - known)}"
        assert all(len(reason) > 40 for reason in by_rule.values())
