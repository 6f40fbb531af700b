"""Reading the Dockerfile: its stages, instructions and user, and checks that need one."""

from __future__ import annotations

from collections.abc import Callable

from keel.audit.checks import only_if
from keel.audit.model import Check, Finding, Verdict, failed
from keel.audit.project import Project

type Instruction = tuple[int, str, str]  # (line, INSTRUCTION, arguments)


def dockerfile(project: Project) -> str | None:
    """The Dockerfile's text, or None."""
    return project.text("Dockerfile")


# ``check``, or n/a when the project has no Dockerfile.
when_dockerfile = only_if(lambda project: dockerfile(project) is not None, "no Dockerfile")


def with_dockerfile(check: Callable[[Project, str], Verdict]) -> Check:
    """A check of the Dockerfile's text; fails when there is no Dockerfile."""

    def guarded(project: Project) -> Verdict:
        text = dockerfile(project)
        if text is None:
            return failed("no Dockerfile", [Finding("missing", "Dockerfile")])
        return check(project, text)

    return guarded


def dockerfile_user(text: str) -> str | None:
    """The user of the final stage (its last ``USER``), or None when it sets none."""
    user: str | None = None
    for line in text.splitlines():
        words = line.strip().split()
        if not words:
            continue
        if words[0].upper() == "FROM":
            user = None
        elif words[0].upper() == "USER" and len(words) > 1:
            user = words[1]
    return user


def from_lines(text: str) -> list[tuple[int, str, str | None]]:
    """Each ``FROM`` line of a Dockerfile: (line, image, stage name or None), flags left out."""
    stages: list[tuple[int, str, str | None]] = []
    for number, line in enumerate(text.splitlines(), 1):
        words = [w for w in line.split() if not w.startswith("--")]
        if words and words[0].upper() == "FROM" and len(words) > 1:
            name = words[3] if len(words) > 3 and words[2].upper() == "AS" else None
            stages.append((number, words[1], name))
    return stages


def instructions(text: str) -> list[Instruction]:
    """A Dockerfile's instructions: (line, INSTRUCTION, arguments), continuations joined."""
    found: list[Instruction] = []
    pending = ""
    start = 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        pending += line
        word, _, rest = pending.partition(" ")
        found.append((start, word.upper(), rest.strip()))
        pending = ""
    return found


def final_stage(text: str) -> list[Instruction]:
    """The instructions of the image's final stage and of the stages it builds on."""
    stages: list[tuple[str, str, list[Instruction]]] = []
    for instruction in instructions(text):
        if instruction[1] == "FROM":
            words = [w for w in instruction[2].split() if not w.startswith("--")]
            name = words[2] if len(words) > 2 and words[1].upper() == "AS" else ""
            stages.append((name, words[0] if words else "", []))
        if stages:
            stages[-1][2].append(instruction)
    if not stages:
        return []
    _, base, chain = stages[-1]
    names = {name: (parent, body) for name, parent, body in stages[:-1] if name}
    while base in names:
        base, body = names.pop(base)
        chain = body + chain
    return chain
