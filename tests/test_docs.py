"""Docs whose lists come from code stay in step with it."""

from __future__ import annotations

from keel.docs import embedded
from keel.space import TEMPLATE_ROOT, Template, questions_markdown


def test_the_question_table_of_the_docs_is_generated_from_copier_yml(
    template: Template,
) -> None:
    current = embedded(TEMPLATE_ROOT / "docs" / "generate.md", "questions")

    assert current == questions_markdown(template), "run `uv run just docs` to regenerate it"
