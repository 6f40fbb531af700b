"""The answer space, read from copier.yml: the only module that parses it."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from keel.errors import KeelError

TEMPLATE_ROOT = Path(__file__).resolve().parents[2]
COPIER_YML = TEMPLATE_ROOT / "copier.yml"
PRESETS_KEY = "profile_presets"


@dataclass(frozen=True)
class Question:
    """One question of copier.yml."""

    name: str
    type: str
    help: str
    default: Any = None
    choices: tuple[Any, ...] = ()
    when: Any = True
    validator: str | None = None

    @property
    def hidden(self) -> bool:
        """Whether the question is never asked (a computed value)."""
        return self.when is False


@dataclass(frozen=True)
class Template:
    """The questions and settings of copier.yml, in file order."""

    settings: dict[str, Any]
    questions: dict[str, Question] = field(default_factory=dict)

    @property
    def asked(self) -> list[Question]:
        """The questions a user can answer."""
        return [question for question in self.questions.values() if not question.hidden]

    def choices(self, name: str) -> tuple[Any, ...]:
        """The allowed values of a question (booleans: both)."""
        question = self.questions[name]
        if question.type == "bool":
            return (True, False)
        return question.choices

    @property
    def profile_presets(self) -> dict[str, dict[str, Any]]:
        """What each profile presets, by profile name."""
        presets: dict[str, dict[str, Any]] = self.questions[PRESETS_KEY].default
        return presets


def questions_markdown(template: Template) -> str:
    """The question table of docs/generate.md, generated from copier.yml."""
    rows = ["| key | type | choices | help |", "|---|---|---|---|"]
    for question in template.asked:
        choices = ", ".join(f"`{choice}`" for choice in template.choices(question.name))
        rows.append(
            f"| `{question.name}` | {question.type} | {choices or 'text'} | {question.help} |"
        )
    return "\n".join(rows) + "\n"


def _question(name: str, spec: dict[str, Any]) -> Question:
    choices = spec.get("choices") or {}
    values = tuple(choices.values()) if isinstance(choices, dict) else tuple(choices)
    return Question(
        name=name,
        type=spec.get("type", "str"),
        help=spec.get("help", ""),
        default=spec.get("default"),
        choices=values,
        when=spec.get("when", True),
        validator=spec.get("validator"),
    )


def parse(text: str) -> Template:
    """Parse the text of a copier.yml."""
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        msg = "copier.yml must be a mapping of settings and questions"
        raise KeelError(msg)
    settings = {key: value for key, value in data.items() if key.startswith("_")}
    questions = {
        key: _question(key, value) for key, value in data.items() if not key.startswith("_")
    }
    return Template(settings=settings, questions=questions)


@cache
def load(path: Path = COPIER_YML) -> Template:
    """Read and parse copier.yml (once per path)."""
    try:
        return parse(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        msg = f"{path} does not exist: run keel from a checkout of the keel template"
        raise KeelError(msg) from None
