"""What CI runs: its definitions, the task-runner recipes they call, workflows and pre-commit."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, cast

import yaml

from keel.audit.checks import mapping, reachable
from keel.audit.project import Project

type Recipe = tuple[str, list[str]]  # the header after its colon, the body's lines as written

# A Justfile recipe's header: ``name params: dependencies`` (not ``name := value``).
JUST_HEADER = re.compile(r"^@?([A-Za-z0-9_-]+)(?:\s+[^:=]*)?:(?!=)(.*)$")
# A recipe or Makefile rule's header, read loosely: ``name<anything but : = #>: dependencies``.
RULE_HEADER = re.compile(r"^@?([A-Za-z0-9_-]+)[^:=#]*:(?!=)(.*)$")
JUST_CALLS = re.compile(r"\bjust\s+([\w -]+)")
RUNNER_CALL = re.compile(r"\b(?:just|make)\s+([A-Za-z0-9_-]+)")


def ci_files(project: Project) -> list[Path]:
    """The CI definitions: GitHub workflows and GitLab's pipeline."""
    found = project.files(".github/workflows/*.yml") + project.files(".github/workflows/*.yaml")
    return found + project.files(".gitlab-ci.yml")


def ci_text(project: Project) -> str:
    """Every CI definition's text, joined."""
    return "\n".join(path.read_text(errors="replace") for path in ci_files(project))


def pre_commit_text(project: Project) -> str:
    """.pre-commit-config.yaml's text (``""`` without one)."""
    return project.text(".pre-commit-config.yaml") or ""


# ---------------------------------------------------------------- task runners


def justfile(project: Project) -> str | None:
    """The Justfile's text (any of just's file names), or None."""
    for name in ("Justfile", "justfile", ".justfile"):
        text = project.text(name)
        if text is not None:
            return text
    return None


def recipes(text: str, header: re.Pattern[str] = JUST_HEADER) -> dict[str, Recipe]:
    """A Justfile's (or Makefile's) recipes: name -> (header after the colon, body lines)."""
    found: dict[str, Recipe] = {}
    body: list[str] | None = None
    for line in text.splitlines():
        if line[:1] in (" ", "\t"):
            if body is not None:
                body.append(line)
            continue
        match = header.match(line)
        if match:
            body = []
            found[match.group(1)] = (match.group(2), body)
        elif line.strip() and not line.startswith("#"):
            body = None
    return found


def _just_calls(text: str) -> list[str]:
    """The recipe names ``just a b`` calls in ``text``."""
    return [word for group in JUST_CALLS.findall(text) for word in group.split()]


def ci_commands(project: Project) -> str:
    """What CI runs: its files' lines but comments, and the Justfile recipes they ``just`` run."""
    # CI that calls ``just lint`` runs the lint recipe's commands (and those of the recipes it
    # depends on or calls), so a check for ``ruff check`` in CI looks there too.
    text = "\n".join(
        line for line in ci_text(project).splitlines() if not line.lstrip().startswith("#")
    )
    found = recipes(justfile(project) or "")

    def follow(name: str) -> list[str]:
        header, body = found[name]
        needs = [word for word in header.split() if re.fullmatch(r"[\w-]+", word)]
        return needs + [word for line in body for word in _just_calls(line.strip())]

    run = reachable(_just_calls(text), found, follow)
    return "\n".join([text, *(line.strip() for name in run for line in found[name][1])])


def pipeline_text(project: Project) -> str:
    """CI's text and the Justfile/Makefile recipes it runs (``just x``, ``make x``), in turn."""
    ci = ci_text(project)
    found: dict[str, str] = {}
    for name in ("Justfile", "justfile", "Makefile"):
        for recipe, (header, body) in recipes(project.text(name) or "", RULE_HEADER).items():
            found[recipe] = header + "".join(f"\n{line}" for line in body)

    def follow(name: str) -> list[str]:
        text = found[name]
        return [*text.split("\n", 1)[0].split(), *RUNNER_CALL.findall(text)]

    return "\n".join(
        [ci, *(found[name] for name in reachable(RUNNER_CALL.findall(ci), found, follow))]
    )


def ci_and_runners(project: Project) -> str:
    """CI's text and the whole task-runner files it calls (Justfile, Makefile, nox, tox)."""
    text = ci_text(project)
    if not text:
        return ""
    runners = {
        "just ": ("Justfile", "justfile"),
        "make ": ("Makefile",),
        "nox": ("noxfile.py",),
        "tox": ("tox.ini",),
    }
    for word, names in runners.items():
        if word in text:
            text += "".join("\n" + (project.text(name) or "") for name in names)
    return text


# ------------------------------------------------------------------------- YAML


def yaml_data(path: Path) -> object:
    """A YAML file's data (None when it does not parse)."""
    try:
        return yaml.safe_load(path.read_text(errors="replace"))
    except yaml.YAMLError:
        return None


def workflows(project: Project) -> list[tuple[Path, dict[str, Any]]]:
    """The GitHub workflows, parsed."""
    found = project.files(".github/workflows/*.yml") + project.files(".github/workflows/*.yaml")
    return [(path, mapping(yaml_data(path))) for path in found]


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """A workflow's ``on:`` as a mapping (YAML 1.1 reads the key ``on`` as True)."""
    raw: object = workflow.get("on", workflow.get(True))  # pyright: ignore[reportArgumentType, reportCallIssue]
    if isinstance(raw, str):
        return {raw: None}
    if isinstance(raw, list):
        return {str(item): None for item in cast("list[object]", raw)}
    return mapping(raw)
