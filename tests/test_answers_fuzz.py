"""Fuzzed answers: each is refused with a message naming its question, or renders clean.

Hypothesis writes the answers (names, slugs, e-mails, free text, out-of-range
choices) and no oracle says which are valid: whatever Copier refuses must be
refused before anything is written, with the question's own message; whatever
it accepts must render a project that keel's static checks pass.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from copier import run_copy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keel import space
from keel.layout import TEMPLATE_PARTS
from keel.space import TEMPLATE_ROOT
from keel.sweep import sweep

TEMPLATE = space.load()
CHOICES = ("profile", "framework", "database", "auth", "cache")
TEXT_ANSWERS = ("project_name", "project_slug", "package_name", "description", "author_name")

# Plausible names (most pass the validators) and any text at all (most do not).
NAME_LIKE = st.from_regex(r"[A-Za-z][A-Za-z0-9 ._-]{0,70}", fullmatch=True)
ANY_TEXT = st.text(max_size=80)
NAME = st.one_of(NAME_LIKE, ANY_TEXT)
OUT_OF_RANGE = {
    question: st.text(max_size=12).filter(
        lambda value, q=question: value not in TEMPLATE.choices(q)
    )
    for question in CHOICES
}
TEXT = st.fixed_dictionaries(
    {"project_name": st.one_of(NAME_LIKE, NAME)},
    optional={
        "project_slug": NAME,
        "package_name": NAME,
        "description": ANY_TEXT,
        "author_name": ANY_TEXT,
        "author_email": st.one_of(st.emails(), ANY_TEXT),
    },
)
# At most one choice out of range, so that the text answers can all pass.
ONE_OUT_OF_RANGE = st.sampled_from(CHOICES).flatmap(
    lambda question: OUT_OF_RANGE[question].map(lambda value: {question: value})
)
ANSWERS = st.builds(
    lambda text, choice: {**text, **choice},
    TEXT,
    st.one_of(st.just({}), ONE_OUT_OF_RANGE),
)
# Copier's wording for a refused answer; keel's validators start with the question.
REFUSAL = re.compile(r"Validation error for question '(\w+)': \1 |Invalid choice for '(\w+)'")


def copy_or_refusal(template: Path, destination: Path, answers: dict[str, Any]) -> str | None:
    """Render ``answers`` into ``destination``; Copier's refusal, or None once rendered."""
    try:
        run_copy(
            str(template),
            destination,
            data=answers,
            defaults=True,
            unsafe=True,
            skip_tasks=True,
            quiet=True,
        )
    except ValueError as error:
        return str(error)
    return None


@pytest.fixture(scope="module")
def template_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template's files outside git: Copier renders them without cloning."""
    copy = tmp_path_factory.mktemp("template")
    for part in TEMPLATE_PARTS:
        source = TEMPLATE_ROOT / part
        if source.is_dir():
            shutil.copytree(source, copy / part)
        else:
            shutil.copy2(source, copy / part)
    return copy


def test_every_answer_is_refused_clearly_or_renders_a_clean_project(
    template_copy: Path, tmp_path: Path
) -> None:
    refused: list[str] = []
    accepted: list[dict[str, Any]] = []

    @given(answers=ANSWERS)
    @settings(
        max_examples=24,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    def refused_or_rendered(answers: dict[str, Any]) -> None:
        destination = tmp_path / f"service-{len(refused) + len(accepted)}"
        destination.mkdir()
        (destination / "NOTES.md").write_text("the team's own file\n")
        refusal = copy_or_refusal(template_copy, destination, answers)
        if refusal is not None:
            match = REFUSAL.search(refusal)
            assert match, f"{answers!r}: an unclear refusal: {refusal}"
            question = match.group(1) or match.group(2)
            assert question in {*answers, "project_slug", "package_name"}, (answers, refusal)
            assert [path.name for path in destination.iterdir()] == ["NOTES.md"], answers
            assert (destination / "NOTES.md").read_text() == "the team's own file\n"
            refused.append(question)
            return
        recorded = yaml.safe_load((destination / ".copier-answers.yml").read_text())
        assert (destination / "NOTES.md").read_text() == "the team's own file\n"
        accepted.append({key: recorded[key] for key in (*TEXT_ANSWERS, "author_email")})

    refused_or_rendered()

    assert set(refused) & {"project_name", "package_name"}, refused
    assert set(refused) & set(CHOICES), f"no choice was refused: {refused}"
    assert accepted, "no example was accepted: the strategies lost their good answers"
    presets = TEMPLATE.profile_presets["org-standard"]
    default = next(
        combination
        for combination in space.current().combinations
        if combination.answers["profile"] == "org-standard"
        and all(combination.answers.get(key) == value for key, value in presets.items())
    )
    combinations = [
        dataclasses.replace(
            default,
            answers={**default.answers, **text},
            id=f"fuzzed-{number}",
            label=text["project_name"],
        )
        for number, text in enumerate(accepted)
    ]
    result = sweep(combinations, jobs=1)
    failures = {failed.combination.label: failed.findings[:3] for failed in result.failed}
    assert not failures, failures
