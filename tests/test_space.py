"""copier.yml against what keel keeps stable (docs/contract.md)."""

from __future__ import annotations

import re

from keel.space import TEMPLATE_ROOT, Template

CONTRACT = TEMPLATE_ROOT / "docs" / "contract.md"
_KEY = re.compile(r"`([a-z_]+)`")
_VALUE = re.compile(r"`([^`]+)`")
YES_NO = {True, False}


def contract_questions() -> dict[str, set[object] | None]:
    """The question keys of docs/contract.md and the values each must offer (None: text)."""
    table = CONTRACT.read_text(encoding="utf-8").split("## Question keys")[1].split("\n\n")[1]
    questions: dict[str, set[object] | None] = {}
    for row in table.splitlines()[2:]:
        _, key_cell, values_cell, _ = row.split("|")
        (key,) = _KEY.findall(key_cell)
        if values_cell.strip().startswith("text"):
            questions[key] = None
        elif values_cell.strip() == "yes / no":
            questions[key] = set(YES_NO)
        else:
            questions[key] = set(_VALUE.findall(values_cell.split("(")[0]))
    return questions


def test_every_stable_question_is_offered_with_help_and_its_values(template: Template) -> None:
    questions = contract_questions()

    assert len(questions) == 21
    for key, values in questions.items():
        assert key in template.questions, f"copier.yml lacks the stable question {key!r}"
        assert template.questions[key].help, f"{key!r} has no help text"
        assert not template.questions[key].hidden
        if values is not None:
            missing = values - set(template.choices(key))
            assert not missing, f"{key!r} no longer offers {sorted(missing, key=str)}"


def test_configuration_matches_the_contract(template: Template) -> None:
    assert template.settings["_subdirectory"] == "template"
    assert template.settings["_templates_suffix"] == ".jinja"
    assert "_min_copier_version" in template.settings


def test_every_profile_presets_every_stack_answer(template: Template) -> None:
    stack = {name for name, preset in template.profile_presets["org-standard"].items()}
    for profile in template.choices("profile"):
        preset = template.profile_presets[profile]
        assert set(preset) == stack, profile
        for name, value in preset.items():
            if template.questions[name].type == "int":  # a fine-tune's number
                assert isinstance(value, int), f"{profile}: {name}={value!r} is no number"
                continue
            assert value in template.choices(name), f"{profile}: {name}={value!r} is no choice"


def test_stack_defaults_come_from_the_profile(template: Template) -> None:
    for name in template.profile_presets["org-standard"]:
        default = template.questions[name].default
        assert default.startswith("{{ ")
        assert f" profile_presets[profile].{name} }}}}" in default
