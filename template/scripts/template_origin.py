"""The template this service was rendered from: its source, version and releases.

`just template-check` and `just template-update` read `.copier-answers.yml`, list
the template's release tags and render it with Copier, through uvx at the version
the template is tested with (with the Jinja extension the template loads).
"""

import re
import shutil
import subprocess
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import yaml

ANSWERS_FILE = Path(".copier-answers.yml")
COPIER = (
    "uvx",
    "--from",
    "copier==9.19.1",
    "--with",
    "copier-template-extensions==0.3.4",
    "copier",
)
# Copier's own shortcuts for hosted repositories, spelled out for git.
_SHORTCUTS = {"gh:": "https://github.com/", "gl:": "https://gitlab.com/"}
_RELEASE = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)$")
_DESCRIBED = re.compile(r"^(v?\d+\.\d+\.\d+)(?:-\d+-g[0-9a-f]+)?$")
# How Copier reports a recorded answer that the template's questions refuse.
_REFUSED_ANSWER = re.compile(
    r"^ValueError: ((?:Validation error for question|Invalid choice for) .+)$", re.M
)
COPIER_OUTPUT_LINES = 15
# What a render leaves that no project keeps under version control.
_NOT_RENDERED = {".git", ".venv", "__pycache__", ".ruff_cache", ".mypy_cache"}


Release = tuple[int, int, int]


class TemplateError(Exception):
    """The template cannot be reached or rendered; the message says what to do."""


@dataclass(frozen=True)
class Origin:
    """Where the project came from, as `.copier-answers.yml` records it."""

    source: str
    version: str

    @property
    def release(self) -> Release | None:
        """The release the recorded version is or follows, as numbers."""
        described = _DESCRIBED.match(self.version)
        return release_number(described.group(1)) if described else None


def release_number(tag: str) -> Release | None:
    """`v1.2.3` as `(1, 2, 3)`; `None` for a tag that is not a release."""
    found = _RELEASE.match(tag)
    if found is None:
        return None
    major, minor, patch = (int(part) for part in found.groups())
    return major, minor, patch


def read_origin(project: Path) -> Origin:
    """The template source and version recorded in the project's answers file.

    Raises:
        TemplateError: The answers file is missing or records no version.
    """
    path = project / ANSWERS_FILE
    if not path.is_file():
        msg = f"{path} does not exist: run this in a project rendered by Copier"
        raise TemplateError(msg)
    try:
        loaded: object = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        msg = f"{path} is not valid YAML ({error}): restore it with `git checkout`"
        raise TemplateError(msg) from error
    if not isinstance(loaded, dict):
        msg = f"{path} is not a mapping of answers: restore it with `git checkout`"
        raise TemplateError(msg)
    answers = cast("dict[str, Any]", loaded)
    source, version = answers.get("_src_path"), answers.get("_commit")
    if not source or not version:
        msg = (
            f"{path} records no template version (_src_path and _commit): the "
            "template was not a git repository when this project was rendered"
        )
        raise TemplateError(msg)
    return Origin(str(source), str(version))


def copier_failure(what: str, output: str) -> str:
    """A failed Copier run as a message: the answer to correct, or Copier's last lines.

    Args:
        what: What failed, e.g. "copier could not render the template at v1.2.0".
        output: What Copier printed on stderr.
    """
    if refused := _REFUSED_ANSWER.search(output):
        return (
            f"{what}: {ANSWERS_FILE} holds an answer the template refuses.\n"
            f"    {refused.group(1)}\n"
            f"Correct that answer in {ANSWERS_FILE}, commit it and run this again."
        )
    tail = output.strip().splitlines()[-COPIER_OUTPUT_LINES:]
    return "\n".join([f"{what}:", *tail])


def git_url(source: str) -> str:
    """The template source as git understands it."""
    for shortcut, url in _SHORTCUTS.items():
        if source.startswith(shortcut):
            return url + source.removeprefix(shortcut)
    return source


def git(*arguments: str, failure: str, cwd: Path | None = None) -> str:
    """Run git and return its output.

    Raises:
        TemplateError: git failed; `failure` says what could not be done.
    """
    done = subprocess.run(
        ["git", *arguments], cwd=cwd, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        msg = f"{failure}: {done.stderr.strip()}"
        raise TemplateError(msg)
    return done.stdout


def releases(source: str) -> list[tuple[Release, str]]:
    """The template's release tags with their numbers, oldest first.

    Raises:
        TemplateError: git cannot list the source's tags.
    """
    listed = git("ls-remote", "--tags", "--refs", git_url(source), failure=f"cannot list the tags of {source}")
    tags = [line.rpartition("refs/tags/")[2] for line in listed.splitlines()]
    return sorted((number, tag) for tag in tags if (number := release_number(tag)))


def newest_release(
    origin: Origin, skip: Collection[str] = (), ceiling: Release | None = None
) -> str | None:
    """The newest release after the recorded version, if there is one.

    Args:
        origin: Where the project came from.
        skip: Releases never to update to (tags, as `v1.2.3`).
        ceiling: The newest release to consider (a pin).
    """
    current = origin.release
    newer = [
        tag
        for number, tag in releases(origin.source)
        if (current is None or number > current)
        and (ceiling is None or number <= ceiling)
        and tag not in skip
    ]
    return newer[-1] if newer else None


def render(
    project: Path, destination: Path, ref: str, *, tasks: bool = True
) -> dict[Path, bytes]:
    """Render the template at `ref` with the project's answers into `destination`.

    `destination` may hold files already: Copier overwrites what the template
    renders and leaves what `_skip_if_exists` protects.

    Returns:
        Every file of the render, by path relative to `destination`.

    Raises:
        TemplateError: Copier failed; its output is in the message.
    """
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(project / ANSWERS_FILE, destination / ANSWERS_FILE)
    command = [*COPIER, "recopy", "--trust", "--defaults", "--overwrite", "--quiet"]
    if not tasks:
        command.append("--skip-tasks")
    rendered = subprocess.run(
        [*command, "--vcs-ref", ref, str(destination)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if rendered.returncode != 0:
        what = f"copier could not render the template at {ref}"
        raise TemplateError(copier_failure(what, rendered.stderr))
    return files(destination)


def files(root: Path) -> dict[Path, bytes]:
    """Every file under `root` a project would keep, by relative path."""
    return {
        path.relative_to(root): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
        and not _NOT_RENDERED.intersection(path.relative_to(root).parts)
    }
