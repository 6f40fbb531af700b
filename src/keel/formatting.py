"""The template's formatting tasks, applied to fast renders as Copier applies them.

copier.yml's ``_tasks`` end with ruff commands that rewrite the new project
(``uvx ruff@<version> ...``): import blocks sorted and wrapped, code formatted.
`keel.fastrender` renders as ``copier copy --skip-tasks`` does; the sweep then
runs these same commands over every distinct Python file with keel's own ruff,
which must be the version the tasks pin, so what it checks is what a user gets.
"""

from __future__ import annotations

import shlex
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from keel.errors import KeelError
from keel.lint import Contents, FileRef, tool_version, write_under_configs
from keel.space import Template

_RUFF = "uvx ruff@"  # how a task names its ruff: `uvx ruff@<version> <arguments> .`


@dataclass(frozen=True)
class RuffTask:
    """A ruff command of the template's tasks: ``uvx ruff@<version> <arguments> .``."""

    version: str
    arguments: tuple[str, ...]  # between the version and the project directory


def ruff_tasks(template: Template) -> list[RuffTask]:
    """The template's ruff tasks, in order; refused when keel's ruff is another version.

    Raises:
        KeelError: A ruff task is not of the form above, or keel's ruff differs.
    """
    entries = cast("list[dict[str, str] | str]", template.settings.get("_tasks", []))
    tasks: list[RuffTask] = []
    for entry in entries:
        command = entry if isinstance(entry, str) else entry.get("command", "")
        if not command.startswith(_RUFF):
            continue
        _uvx, tool, *arguments = shlex.split(command)
        if arguments[-1:] != ["."]:
            msg = f"copier.yml task {command!r} must end with the project directory '.'"
            raise KeelError(msg)
        tasks.append(RuffTask(tool.removeprefix("ruff@"), tuple(arguments[:-1])))
    installed = tool_version("ruff").split()[-1]
    for task in tasks:
        if task.version != installed:
            msg = (
                f"copier.yml's tasks format with ruff {task.version} but keel has ruff "
                f"{installed}: pin keel's ruff (pyproject.toml) and the tasks to one version, "
                "so the sweep checks what `copier copy` writes"
            )
            raise KeelError(msg)
    return tasks


def apply(
    tasks: list[RuffTask], refs: list[FileRef], contents: Contents, configs: Contents
) -> dict[FileRef, bytes]:
    """Run `tasks` over Python files, each under its own pyproject.toml (``ref.config``).

    Returns:
        The new content of each file the tasks changed.
    """
    changed: dict[FileRef, bytes] = {}
    if not tasks or not refs:
        return changed
    with tempfile.TemporaryDirectory(prefix="keel-format-") as scratch:
        written = write_under_configs(refs, contents, configs, Path(scratch), "pyproject.toml")
        for task in tasks:
            _run_ruff([*task.arguments, str(Path(scratch).resolve())])
        for filename, ref in written.items():
            content = Path(filename).read_bytes()
            if content != contents[ref.digest]:
                changed[ref] = content
    return changed


def _run_ruff(arguments: list[str]) -> None:
    """Run ruff; a file it cannot parse stays as rendered, for the syntax check to report."""
    if arguments[0] == "check":
        arguments = [*arguments, "--exit-zero"]
    ran = subprocess.run(["ruff", *arguments], capture_output=True, text=True, check=False)
    if ran.returncode and "Failed to parse" not in ran.stderr:
        msg = f"`ruff {' '.join(arguments)}` failed: {(ran.stderr or ran.stdout).strip()}"
        raise KeelError(msg)
