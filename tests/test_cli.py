"""What keel's commands print: a combination is named by its ID and its readable label.

The sweep and the gate are faked here (their own tests run them for real): these
tests are about the messages, tables and result files that name combinations.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from keel import cli, matrix, output, space
from keel.checkrun import CheckOutcome
from keel.errors import KeelError
from keel.lint import Finding
from keel.own import GateResult, Step
from keel.render import render
from keel.space import Combination, answers_label, display_name
from keel.sweep import CombinationResult, SweepResult, SweepStats

SPACE = space.current()
COMBINATION = SPACE.combinations[0]


@pytest.fixture(autouse=True)
def wide_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """Consoles wide enough that no table cell is folded (the runner's terminal has 80)."""
    monkeypatch.setattr(output, "console", Console(width=400))
    monkeypatch.setattr(output, "errors", Console(stderr=True, width=400))


def test_a_combination_is_displayed_as_its_id_and_label() -> None:
    assert COMBINATION.display == f"{COMBINATION.id} ({COMBINATION.label})"
    assert COMBINATION.label.startswith(f"{COMBINATION.answers['profile']}-")
    assert display_name("answers", "") == "answers"
    assert display_name(COMBINATION.label, COMBINATION.label) == COMBINATION.label


def test_the_label_of_an_answers_file_is_its_choices_in_copier_order() -> None:
    given = {"database": "none", "project_name": "Shop", "framework": "litestar"}

    assert answers_label(given, SPACE.names) == "framework=litestar, database=none"


def _failed_sweep(combinations: list[Combination], **_options: object) -> SweepResult:
    stats: SweepStats = {
        "combinations": len(combinations),
        "template_files": 1,
        "files_naive": 1,
        "jinja_renders": 1,
        "distinct_files": 1,
        "distinct_contents": 1,
        "file_checks_cached": 0,
        "file_checks_run": 1,
        "seconds": {"render": 0.1},
    }
    findings = [Finding("ruff", "src/app/main.py", "line 1: F401 `os` imported but unused")]
    return SweepResult([CombinationResult(c, findings) for c in combinations], stats)


def test_a_failed_sweep_names_the_combination_by_id_and_label(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "run_sweep", _failed_sweep)
    results = tmp_path / "sweep.json"

    outcome = CliRunner().invoke(
        cli.app, ["sweep", "--only", COMBINATION.id, "--results", str(results), "--no-cache"]
    )

    assert outcome.exit_code == 1, outcome.output
    shown = f"{COMBINATION.id} ({COMBINATION.label})"
    assert f"1 combination(s) failed; first: {shown} (src/app/main.py: [ruff]" in outcome.output
    assert f"│ {shown} │ src/app/main.py: [ruff] line 1" in outcome.output  # the table
    [entry] = json.loads(results.read_text())["results"]
    assert (entry["id"], entry["label"]) == (COMBINATION.id, COMBINATION.label)


def _failed_check(
    calls: list[dict[str, Any]],
) -> Callable[..., CheckOutcome]:
    def check_one(
        name: str, answers: dict[str, Any], project: Path, **options: Any
    ) -> CheckOutcome:
        calls.append({"name": name, "answers": answers, **options})
        step = Step("check", "uv run just check", ok=False, seconds=1.0, output="F401")
        gate = GateResult(project, [step])
        return CheckOutcome(name, project, "tree", False, 1.0, gate, options["label"])

    return check_one


def test_a_failed_check_names_the_combination_by_id_and_label(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(cli, "check_one", _failed_check(calls))
    results = tmp_path / "check.json"

    outcome = CliRunner().invoke(
        cli.app,
        ["check", COMBINATION.id, "--dest", str(tmp_path / "p"), "--results", str(results)],
    )

    assert outcome.exit_code == 1, outcome.output
    shown = f"{COMBINATION.id} ({COMBINATION.label})"
    assert f"1 failed; first: {shown}. Reproduce: uv run keel check {COMBINATION.id}" in (
        outcome.output
    )
    assert f"│ {shown} " in outcome.output  # the summary table
    assert calls[0]["label"] == COMBINATION.label
    assert calls[0]["answers"] == COMBINATION.data
    [entry] = json.loads(results.read_text())["results"]
    assert (entry["name"], entry["label"]) == (COMBINATION.id, COMBINATION.label)


def test_a_failed_check_of_an_answers_file_names_it_by_its_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "check_one", _failed_check([]))
    answers = tmp_path / "slices.yml"
    answers.write_text("_commit: v1\nframework: litestar\nprofile: custom\n")

    outcome = CliRunner().invoke(
        cli.app,
        ["check", str(answers), "--dest", str(tmp_path / "p"), "--results", str(tmp_path / "r")],
    )

    assert outcome.exit_code == 1, outcome.output
    assert "first: slices (profile=custom, framework=litestar)." in outcome.output


def test_the_matrix_table_shows_each_combination_with_its_label() -> None:
    chosen = matrix.shard(SPACE.combinations, "1/4000")

    outcome = CliRunner().invoke(cli.app, ["matrix", "--shard", "1/4000"])

    assert outcome.exit_code == 0, outcome.output
    for combination in chosen:
        assert f"│ {combination.id} │ {combination.label} " in outcome.output
    caption = f"label: the answers to {', '.join(SPACE.names)}, joined by -"
    assert caption in " ".join(outcome.output.split())


def test_the_ids_format_stays_one_id_a_line() -> None:
    chosen = matrix.shard(SPACE.combinations, "1/4000")

    outcome = CliRunner().invoke(cli.app, ["matrix", "--shard", "1/4000", "--format", "ids"])

    assert outcome.output.splitlines() == [combination.id for combination in chosen]


def test_a_failing_template_task_is_a_keel_error_that_says_what_to_do(tmp_path: Path) -> None:
    template = tmp_path / "template"
    template.mkdir()
    (template / "copier.yml").write_text('_tasks:\n  - "exit 3"\n')
    (template / "README.md").write_text("rendered\n")

    with pytest.raises(KeelError) as refused:
        render({}, tmp_path / "service", template=template)

    assert "the template's task `exit 3` failed" in str(refused.value)
    assert "exit 3; its output is above" in str(refused.value)
    assert "PYENV_VERSION" in str(refused.value)
