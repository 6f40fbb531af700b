"""The answer space, read from copier.yml: the only module that parses it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict, cast

import yaml

from keel.errors import KeelError

if TYPE_CHECKING:
    import jinja2

TEMPLATE_ROOT = Path(__file__).resolve().parents[2]
COPIER_YML = TEMPLATE_ROOT / "copier.yml"
PRESETS_KEY = "profile_presets"
RULES_KEY = "profile_rules"
STANDARDS_KEY = "profile_standards"


@dataclass(frozen=True)
class Question:
    """One question of copier.yml."""

    name: str
    type: str
    help: str
    default: Any = None
    choices: tuple[Any, ...] = ()
    labels: tuple[str, ...] = ()  # the text shown for each choice, where copier.yml gives one
    when: Any = True
    validator: str | None = None
    ask: bool = True

    @property
    def hidden(self) -> bool:
        """Whether the question is never prompted: a computed value, or a profile's preset.

        A preset (``ask: false``) is still recorded where its ``when`` holds:
        ``custom`` keeps what was given with ``--data`` through updates.
        """
        return self.when is False or not self.ask


@dataclass(frozen=True)
class Template:
    """The questions and settings of copier.yml, in file order."""

    settings: dict[str, Any]
    questions: dict[str, Question] = field(default_factory=dict[str, Question])

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
    def named_profiles(self) -> list[str]:
        """The profiles that follow a standard: those with rules (not ``custom``)."""
        return list(self.questions[RULES_KEY].default)

    @property
    def profile_standards(self) -> dict[str, str]:
        """The standard each named profile follows: its file stem, by profile name."""
        standards: dict[str, str] = self.questions[STANDARDS_KEY].default
        return standards

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


def fine_tunes(template: Template) -> list[Question]:
    """The hidden questions each profile presets: what a standard fine-tunes."""
    asked = {question.name for question in template.asked}
    return [
        question
        for question in template.questions.values()
        if question.hidden and not _is_constant(question) and question.name not in asked
    ]


def fine_tunes_markdown(template: Template) -> str:
    """The table of docs/profiles.md: each fine-tune and every profile's preset of it."""
    profiles = list(template.profile_presets)
    rows = [
        "| key | " + " | ".join(f"`{profile}`" for profile in profiles) + " | what it does |",
        "|---|" + "---|" * len(profiles) + "---|",
    ]
    for question in fine_tunes(template):
        presets = [template.profile_presets[profile][question.name] for profile in profiles]
        values = " | ".join(f"`{str(value).lower()}`" for value in presets)
        rows.append(f"| `{question.name}` | {values} | {question.help} |")
    return "\n".join(rows) + "\n"


class QuestionSpec(TypedDict):
    """A question as copier.yml writes it (every key optional)."""

    type: NotRequired[str]
    help: NotRequired[str]
    default: NotRequired[Any]
    # choices: a list of values, or a mapping of shown text to value
    choices: NotRequired[dict[str, Any] | list[Any] | None]
    when: NotRequired[Any]
    validator: NotRequired[str | None]
    ask: NotRequired[bool]


def _question(name: str, spec: QuestionSpec) -> Question:
    choices = spec.get("choices") or {}
    labelled = isinstance(choices, dict)
    values = tuple(choices.values()) if labelled else tuple(choices)
    return Question(
        name=name,
        type=spec.get("type", "str"),
        help=spec.get("help", ""),
        default=spec.get("default"),
        choices=values,
        labels=tuple(choices) if labelled else (),
        when=spec.get("when", True),
        validator=spec.get("validator"),
        ask=spec.get("ask", True),
    )


def parse(text: str) -> Template:
    """Parse the text of a copier.yml."""
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        msg = "copier.yml must be a mapping of settings and questions"
        raise KeelError(msg)
    # YAML gives untyped data: keys are the question names, questions are mappings.
    entries = cast("dict[str, Any]", data)
    settings = {key: value for key, value in entries.items() if key.startswith("_")}
    questions = {
        key: _question(key, cast("QuestionSpec", value))
        for key, value in entries.items()
        if not key.startswith("_")
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


# ------------------------------------------------------------ the answer space

# Text questions do not multiply the space: each is fixed to this value or its default.
FIXED_TEXT = {"project_name": "Demo Service"}


def display_name(name: str, label: str) -> str:
    """How every message and table names a combination: its ID (or answers file) and label.

    ``ed36583359 (org-standard-3.12-fastapi-...)``; just the name when there is no
    label or the name is the label.
    """
    return f"{name} ({label})" if label and label != name else name


def answers_label(answers: Mapping[str, Any], names: Sequence[str]) -> str:
    """The readable label of answers that are not a whole combination (an answers file).

    The choice questions it answers, in copier's order, as ``question=value``.
    """
    return ", ".join(f"{name}={answers[name]}" for name in names if name in answers)


@dataclass(frozen=True)
class Combination:
    """One valid assignment of every choice question.

    Attributes:
        answers: Every answer copier would record, text answers included.
        label: The choice values in question order, joined by "-": readable, unique.
        id: A short hash of the choice values: stable across runs and file edits
            that do not change the answers.
        unasked: Questions whose ``when`` is false here: they take their default,
            and Copier leaves them out of the answers file.
    """

    answers: dict[str, Any]
    label: str
    id: str
    unasked: tuple[str, ...] = ()

    @property
    def display(self) -> str:
        """How messages and tables name it: its ID and its label."""
        return display_name(self.id, self.label)

    @property
    def data(self) -> dict[str, Any]:
        """The answers to give Copier: those it would ask."""
        return {key: value for key, value in self.answers.items() if key not in self.unasked}


@dataclass(frozen=True)
class Rule:
    """Why some combinations are not in the space."""

    question: str
    kind: str  # "when" (the question is not asked) or "validator" (a value is refused)
    condition: str
    pruned: int


@dataclass(frozen=True)
class Space:
    """Every valid combination, and the rules that pruned the others."""

    combinations: list[Combination]
    rules: list[Rule]
    names: list[str]  # the choice questions, in copier's order

    def find(self, combination_id: str) -> Combination:
        """The combination with this ID (or this label).

        Raises:
            KeelError: No combination has it.
        """
        for combination in self.combinations:
            if combination_id in (combination.id, combination.label):
                return combination
        msg = f"no valid combination has the ID {combination_id!r}; see `keel combos --list`"
        raise KeelError(msg)


@cache
def template_extension() -> ModuleType:
    """The template's own Jinja extension module, extensions/context.py."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "keel_template_extension", TEMPLATE_ROOT / "extensions" / "context.py"
    )
    if spec is None or spec.loader is None:
        msg = "extensions/context.py cannot be loaded"
        raise KeelError(msg)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _environment() -> jinja2.Environment:
    """A Jinja environment with the template's own filters (validators use them)."""
    import jinja2

    filters = template_extension().AnswerFilters
    return jinja2.Environment(extensions=[filters], undefined=jinja2.StrictUndefined)


@cache
def _is_yaml_true(text: str) -> bool:
    """Whether rendered Jinja reads as YAML true, as copier reads it.

    Cached: the same few strings come back for every combination.
    """
    return yaml.safe_load(text) is True


def _render_shared(template: jinja2.Template, answers: dict[str, Any]) -> str:
    """``template.render(answers)``, without copying ``answers`` into a new context.

    The walk renders hundreds of thousands of defaults and validators, and
    ``render`` copies every answer, the rule tables included, into each
    context: most of the walk's time. copier.yml's expressions use answers and
    filters only, never the globals a shared context leaves out (one that did
    would fail: undefined names are errors here).
    """
    context = template.new_context(answers, shared=True)
    try:
        return template.environment.concat(template.root_render_func(context))
    except Exception:  # Jinja rewrites the traceback to point into the template
        return template.environment.handle_exception()


def _cast(question: Question, rendered: Any) -> Any:
    if question.type == "bool" and isinstance(rendered, str):
        return _is_yaml_true(rendered)
    if question.type == "int" and isinstance(rendered, str):
        return int(rendered)
    return rendered


def _is_constant(question: Question) -> bool:
    """Whether a hidden question's value is the same for every combination (the rule tables)."""
    return not (isinstance(question.default, str) and "{" in question.default)


def _is_choice(question: Question) -> bool:
    return question.type == "bool" or bool(question.choices)


def choice_names(template: Template) -> list[str]:
    """The questions whose answers make a combination, in copier's order."""
    return [question.name for question in template.asked if _is_choice(question)]


def enumerate_space(template: Template) -> Space:
    """Walk the questions in copier's order and keep every valid combination.

    A question whose ``when`` is false takes its default and does not branch;
    a value its validator refuses is pruned. Both are counted as rules.
    """
    environment = _environment()
    compiled: dict[str, jinja2.Template] = {}

    def render(source: Any, context: dict[str, Any]) -> Any:
        if not isinstance(source, str) or "{" not in source:
            return source
        if source not in compiled:
            compiled[source] = environment.from_string(source)
        return _render_shared(compiled[source], context)

    questions = list(template.questions.values())
    pruned: dict[tuple[str, str, str], int] = {}
    results: list[tuple[dict[str, Any], tuple[str, ...]]] = []

    def walk(index: int, answers: dict[str, Any], unasked: tuple[str, ...] = ()) -> None:
        if index == len(questions):
            results.append((dict(answers), unasked))
            return
        question = questions[index]
        if question.hidden:  # never asked: its default, never branching
            value = _cast(question, render(question.default, answers))
            recorded = question.when is not False and _is_yaml_true(
                str(render(question.when, answers))
            )
            if _is_constant(question) or recorded:
                walk(index + 1, {**answers, question.name: value}, unasked)
            else:  # a preset of the profile: part of the combination, not of its answers file
                walk(index + 1, {**answers, question.name: value}, (*unasked, question.name))
            return
        asked = question.when is True or _is_yaml_true(str(render(question.when, answers)))
        if not asked or not _is_choice(question):
            value = FIXED_TEXT.get(question.name, render(question.default, answers))
            if not asked:
                key = (question.name, "when", str(question.when))
                pruned[key] = pruned.get(key, 0) + max(0, len(template.choices(question.name)) - 1)
            walk(
                index + 1,
                {**answers, question.name: _cast(question, value)},
                unasked if asked else (*unasked, question.name),
            )
            return
        for value in template.choices(question.name):
            candidate = {**answers, question.name: value}
            if question.validator and str(render(question.validator, candidate)).strip():
                key = (question.name, "validator", f"{question.name}={value!r}")
                pruned[key] = pruned.get(key, 0) + 1
                continue
            walk(index + 1, candidate, unasked)

    walk(0, {})
    names = choice_names(template)
    hidden = {question.name for question in questions if question.hidden and _is_constant(question)}
    combinations = [_combination(answers, names, hidden, unasked) for answers, unasked in results]
    rules = [
        Rule(name, kind, condition, count) for (name, kind, condition), count in pruned.items()
    ]
    return Space(combinations, rules, names)


@cache
def current() -> Space:
    """The answer space of this checkout's copier.yml, enumerated once per process.

    The CLI's commands and keel's tests share it; a changed copier.yml needs a
    new process (a test of other copier.yml text calls `enumerate_space`).
    """
    return enumerate_space(load())


def _combination(
    answers: dict[str, Any], choice_names: list[str], hidden: set[str], unasked: tuple[str, ...]
) -> Combination:
    public = {key: value for key, value in answers.items() if key not in hidden}
    values = [answers[name] for name in choice_names]
    label = "-".join(str(value).lower() for value in values)
    digest = hashlib.sha256(
        json.dumps({name: answers[name] for name in choice_names}, sort_keys=True).encode()
    ).hexdigest()
    return Combination(answers=public, label=label, id=digest[:10], unasked=unasked)
