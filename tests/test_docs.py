"""Docs whose tables come from code stay in step with it."""

from __future__ import annotations

from typer.testing import CliRunner

from keel.cli import app
from keel.docs import embedded
from keel.space import TEMPLATE_ROOT, Template, fine_tunes, questions_markdown


def test_every_generated_docs_section_is_up_to_date() -> None:
    # The audit tables need every profile rendered: tests/test_profiles.py checks
    # them against the renders it makes anyway.
    result = CliRunner().invoke(app, ["docs", "--check", "--no-renders"])

    assert result.exit_code == 0, f"{result.output}run `uv run just docs` to regenerate"


def test_the_question_table_of_the_docs_is_generated_from_copier_yml(
    template: Template,
) -> None:
    current = embedded(TEMPLATE_ROOT / "docs" / "generate.md", "questions")

    assert current == questions_markdown(template)


def test_the_profiles_page_lists_every_fine_tune_with_each_profiles_preset(
    template: Template,
) -> None:
    table = embedded(TEMPLATE_ROOT / "docs" / "profiles.md", "fine-tunes")

    tuned = fine_tunes(template)
    assert len(tuned) >= 9
    for question in tuned:
        assert f"| `{question.name}` |" in table
