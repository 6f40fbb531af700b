"""copier.yml against the contract (../shared/design/template-contract.md)."""

from __future__ import annotations

import re

import pytest

from keel.space import TEMPLATE_ROOT, Template

CONTRACT = TEMPLATE_ROOT.parent / "shared" / "design" / "template-contract.md"
_ROW_KEYS = re.compile(r"`([a-z_]+)`")


def contract_keys() -> list[str]:
    """The question keys of the contract's section-2 table, in order."""
    if not CONTRACT.exists():
        pytest.fail(f"the contract is missing: {CONTRACT} (keel expects ../shared beside it)")
    section = CONTRACT.read_text(encoding="utf-8").split("## 2. Questions")[1].split("\n\n")
    table = next(block for block in section if block.startswith("| key"))
    keys: list[str] = []
    for row in table.splitlines()[2:]:
        keys += _ROW_KEYS.findall(row.split("|")[1])
    return keys


def test_every_contract_question_is_offered_with_help(template: Template) -> None:
    keys = contract_keys()

    assert len(keys) >= 19
    for key in keys:
        assert key in template.questions, f"copier.yml lacks the contract question {key!r}"
        assert template.questions[key].help, f"{key!r} has no help text"
        assert not template.questions[key].hidden


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
            assert value in template.choices(name), f"{profile}: {name}={value!r} is no choice"


def test_stack_defaults_come_from_the_profile(template: Template) -> None:
    for name in template.profile_presets["org-standard"]:
        default = template.questions[name].default
        assert default.startswith("{{ ")
        assert f" profile_presets[profile].{name} }}}}" in default
