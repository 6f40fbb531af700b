from pathlib import Path

import pytest

from scripts import template_origin, template_update
from scripts.template_origin import Origin, Release, TemplateError

pytestmark = pytest.mark.unit

CHANGELOG = """\
# Changelog

## [Unreleased]

- Not yet.

## [0.3.0] - 2026-12-01

### Changed

- Third.

## [0.2.0] - 2026-11-01

- Second.

## [0.1.0] - 2026-10-01

- First.
"""

COPIER_YML = """\
_migrations:
  - version: v0.2.0
    command: ["python", "/srv/keel/updates/move_records.py"]
  - version: v0.4.0
    command: python updates/later.py
"""


def test_a_described_version_counts_as_the_release_it_follows() -> None:
    assert Origin("gh:org/keel", "v0.2.0-3-gabc1234").release == (0, 2, 0)
    assert Origin("gh:org/keel", "main").release is None


def test_hosted_shortcuts_become_git_urls() -> None:
    assert template_origin.git_url("gh:org/keel") == "https://github.com/org/keel"
    assert template_origin.git_url("/srv/keel") == "/srv/keel"


def test_the_newest_release_honours_skips_and_the_pin(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def releases(_source: str) -> list[tuple[Release, str]]:
        return [((0, 1, 0), "v0.1.0"), ((0, 3, 0), "v0.3.0"), ((0, 10, 0), "v0.10.0")]

    monkeypatch.setattr(template_origin, "releases", releases)
    origin = Origin("gh:org/keel", "v0.2.0")

    assert template_origin.newest_release(origin) == "v0.10.0"
    assert template_origin.newest_release(origin, skip=["v0.10.0"]) == "v0.3.0"
    assert template_origin.newest_release(origin, ceiling=(0, 2, 0)) is None


def test_a_project_without_a_recorded_version_is_refused(tmp_path: Path) -> None:
    (tmp_path / ".copier-answers.yml").write_text("_src_path: gh:org/keel\n")

    with pytest.raises(TemplateError, match="records no template version"):
        template_origin.read_origin(tmp_path)


def test_a_corrupted_answers_file_is_refused_with_the_way_out(tmp_path: Path) -> None:
    (tmp_path / ".copier-answers.yml").write_text("_commit: [v0.1.0\n")

    with pytest.raises(TemplateError, match="not valid YAML"):
        template_origin.read_origin(tmp_path)


def test_an_answer_copier_refuses_is_named_without_its_traceback() -> None:
    output = (
        "Traceback (most recent call last):\n"
        '  File "copier/_user_data.py", line 543, in _parse_answer\n'
        "ValueError: Invalid choice for 'framework': 'flask' is not in"
        " ['fastapi', 'litestar']\n"
    )

    message = template_origin.copier_failure("copier update to v0.3.0 failed", output)

    assert "holds an answer the template refuses" in message
    assert "Invalid choice for 'framework': 'flask'" in message
    assert "Traceback" not in message


def test_other_copier_failures_keep_its_last_lines() -> None:
    output = "\n".join(f"line {number}" for number in range(40))

    message = template_origin.copier_failure("copier failed", output)

    assert message.splitlines() == ["copier failed:", *(f"line {n}" for n in range(25, 40))]


def test_the_pull_request_takes_the_changelog_between_the_versions() -> None:
    entries = template_update.changelog_entries(CHANGELOG, (0, 1, 0), (0, 3, 0))

    assert entries.startswith("### [0.3.0] - 2026-12-01\n\n#### Changed\n\n- Third.")
    assert "- Second." in entries
    assert "First" not in entries
    assert "Not yet" not in entries


def test_the_pull_request_names_the_migrations_the_update_ran() -> None:
    notes = template_update.migrations(COPIER_YML, (0, 1, 0), (0, 3, 0))

    assert notes == ["- v0.2.0: `move_records.py`"]


def test_conflict_markers_and_rejected_hunks_are_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "README.md").write_text("<<<<<<< before updating\nours\n=======\n")
    (tmp_path / "Justfile.rej").write_text("@@ -1 +1 @@\n")
    (tmp_path / "pyproject.toml").write_text("[project]\n")

    def changed_files(_project: Path) -> list[str]:
        return ["README.md", "Justfile.rej", "pyproject.toml"]

    monkeypatch.setattr(template_update, "changed_files", changed_files)

    assert template_update.conflicts(tmp_path) == ["README.md", "Justfile.rej"]


def test_a_pin_that_names_no_release_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TEMPLATE_UPDATE_MAX", "latest")

    with pytest.raises(TemplateError, match=r"write it as v1\.2\.3"):
        template_update.held_back()
