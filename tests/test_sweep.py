"""The sweep: every combination rendered and checked statically, and it finds bugs.

The fast renderer must write what Copier writes, the whole space must pass,
and a bug planted in exactly one combination must fail exactly that one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import warnings
from collections.abc import Callable
from pathlib import Path

import copier
import pytest
from copier.errors import DirtyLocalWarning
from typer.testing import CliRunner

from keel import matrix, space
from keel.cli import app
from keel.fastrender import digest, renderer
from keel.layout import TEMPLATE_PARTS
from keel.sweep import SweepResult, format_trees, sweep

pytestmark = pytest.mark.full

TEMPLATE = space.load()
SPACE = space.current()
PAIRWISE = matrix.covering_array(SPACE.combinations, SPACE.names, strength=2)


def _tree(root: Path) -> dict[str, str]:
    files = {}
    for directory, _dirs, names in os.walk(root):
        for name in names:
            path = Path(directory, name)
            content = path.read_bytes()
            if name == ".copier-answers.yml":  # copier commits a dirty template anew each run
                content = b"\n".join(
                    line for line in content.splitlines() if not line.startswith(b"_commit:")
                )
            files[path.relative_to(root).as_posix()] = digest(content)
    return files


def test_the_fast_renderer_writes_what_copier_writes(scratch: Path) -> None:
    """Rendered and formatted: the sweep's formatting equals the template's own ruff tasks."""
    ruff_tasks = [
        task["command"] for task in TEMPLATE.settings["_tasks"] if "ruff@" in task["command"]
    ]
    with renderer(SPACE.combinations[0]) as rendering:
        for combination in PAIRWISE:
            fast = rendering.render(combination)
            format_trees([fast], rendering.stats.contents, template=space.TEMPLATE_ROOT)
            answers = rendering.stats.contents[fast[".copier-answers.yml"]]
            fast[".copier-answers.yml"] = digest(
                b"\n".join(
                    line for line in answers.splitlines() if not line.startswith(b"_commit:")
                )
            )
            destination = scratch / "faithful" / combination.id
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DirtyLocalWarning)
                copier.run_copy(
                    str(space.TEMPLATE_ROOT),
                    destination,
                    data=combination.data,
                    defaults=True,
                    unsafe=True,
                    quiet=True,
                    skip_tasks=True,  # uv lock: seconds each, and its output is not compared
                    vcs_ref="HEAD",
                )
            for command in ruff_tasks:
                subprocess.run(command, shell=True, cwd=destination, check=True)

            assert fast == _tree(destination), combination.label


@pytest.fixture(scope="module")
def sweep_cache(scratch: Path) -> Path:
    """Where this run's sweep keeps its file-check findings (empty at the start)."""
    return scratch / "sweep-cache.json"


@pytest.fixture(scope="module")
def full_sweep(sweep_cache: Path) -> SweepResult:
    """The whole space, swept once per run with a cold cache: every check really runs.

    Its file-check findings stay in `sweep_cache` for the planted-bugs sweep.
    """
    assert not sweep_cache.exists()
    return sweep(SPACE.combinations, cache=sweep_cache)


def test_every_combination_passes_the_sweep(
    full_sweep: SweepResult, record_property: Callable[[str, object], None]
) -> None:
    record_property("timings", full_sweep.stats["seconds"])
    failures = {r.combination.id: [str(f) for f in r.findings[:3]] for r in full_sweep.failed}
    assert not failures, json.dumps(dict(list(failures.items())[:5]), indent=1)
    stats = full_sweep.stats
    assert stats["combinations"] == len(SPACE.combinations)
    assert stats["file_checks_cached"] == 0
    assert stats["files_naive"] > 10 * stats["distinct_files"], "distinct files are not shared"


# A bug per kind of check: (file under the template root, line added, expected finding).
# Each goes into a small file: a planted file depends on every answer, so the
# sweep renders it once per combination.
PACKAGE_INIT = "template/src/{{package_name}}/__init__.py.jinja"
PLANTS = {
    "imports": (
        PACKAGE_INIT,
        "from {{ package_name }}.retired import helper  # noqa: F401\n",
        "does not render",
    ),
    "dependencies": (
        PACKAGE_INIT,
        "import cachetools  # noqa: F401\n",
        "no declared dependency provides",
    ),
    "ruff": (PACKAGE_INIT, "import os\n", "F401"),
    "whitespace": ("template/.python-version.jinja", "Thanks!  \n", "trailing whitespace"),
    "jinja": (
        "template/.gitignore.jinja",
        "{% raw %}{{ project_name }}{% endraw %}\n",
        "template syntax left",
    ),
    "schema": (
        "template/{% if use_github %}.github{% endif %}/dependabot.yml.jinja",
        "unknown-key: true\n",
        "vendor.dependabot",
    ),
}


def test_bugs_planted_in_single_combinations_fail_exactly_those(
    tmp_path: Path,
    full_sweep: SweepResult,
    sweep_cache: Path,
    record_property: Callable[[str, object], None],
) -> None:
    """Each kind of bug goes into its own combination; the sweep must name each, and no other.

    The whole space is rendered again from the planted copy; file checks whose
    file is unchanged reuse the run's sweep (same check, path, content, config:
    same findings), so what runs anew is every check of every planted file.
    """
    copy = tmp_path / "template"
    copy.mkdir()
    for name in TEMPLATE_PARTS:
        source = space.TEMPLATE_ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, copy / name)
    with_github = [c for c in SPACE.combinations if c.answers["ci"] == "github"]  # dependabot.yml
    targets = dict(zip(PLANTS, with_github[:: len(with_github) // len(PLANTS)], strict=False))
    for check, (relative, line, _expected) in PLANTS.items():
        answers = targets[check].answers
        only_there = " and ".join(f"{name} == {answers[name]!r}" for name in SPACE.names)
        planted = copy / relative
        planted.write_text(planted.read_text() + f"{{% if {only_there} %}}{line}{{% endif %}}")

    result = sweep(SPACE.combinations, template=copy, cache=sweep_cache)
    record_property("timings", result.stats["seconds"])

    failed = {failed.combination.id: failed for failed in result.failed}
    assert sorted(failed) == sorted(target.id for target in targets.values())
    for check, (_relative, _line, expected) in PLANTS.items():
        messages = [str(finding) for finding in failed[targets[check].id].findings]
        assert any(expected in message for message in messages), (check, messages)
    assert full_sweep.stats["file_checks_run"] > result.stats["file_checks_run"] >= len(PLANTS)
    report = result.to_json()
    assert report["failed"] == len(PLANTS)
    reported = {entry["id"]: entry for entry in report["results"] if not entry["ok"]}
    assert (
        reported[targets["ruff"].id]["reproduce"]
        == f"uv run keel sweep --only {targets['ruff'].id}"
    )


def test_the_command_writes_results_and_refuses_an_unknown_id(tmp_path: Path) -> None:
    results = tmp_path / "sweep.json"
    chosen = PAIRWISE[:2]
    args = ["sweep", "--results", str(results), "--cache", str(tmp_path / "cache.json")]
    for combination in chosen:
        args += ["--only", combination.id]

    outcome = CliRunner().invoke(app, args)

    assert outcome.exit_code == 0, outcome.output
    report = json.loads(results.read_text())
    assert [entry["id"] for entry in report["results"]] == [c.id for c in chosen]
    assert report["failed"] == 0
    assert "Sweep of 2 combinations" in outcome.output

    unknown = CliRunner().invoke(app, ["sweep", "--only", "nope"])
    assert unknown.exit_code == 1
    assert "keel combos --list" in unknown.output
