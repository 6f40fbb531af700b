"""Docs whose lists come from code stay in step with it."""

from __future__ import annotations

from keel.space import TEMPLATE_ROOT, Template, questions_markdown


def test_the_question_table_of_the_docs_is_generated_from_copier_yml(
    template: Template,
) -> None:
    text = (TEMPLATE_ROOT / "docs" / "generate.md").read_text(encoding="utf-8")
    embedded = text.split("<!-- questions:start -->\n")[1].split("<!-- questions:end -->")[0]

    assert embedded == questions_markdown(template), "run `uv run keel questions` and paste"
