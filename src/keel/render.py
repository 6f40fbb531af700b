"""Rendering one combination of answers with the real Copier API."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import copier
from copier.errors import DirtyLocalWarning, TaskError

from keel.errors import KeelError
from keel.space import TEMPLATE_ROOT

DEMO_ANSWERS: dict[str, Any] = {"project_name": "Demo Service"}
ANSWERS_FILE = ".copier-answers.yml"
# Lines of the answers file that say where, and from which commit, the template was
# rendered: they change with every run and checkout, not with the template.
VOLATILE_ANSWERS = (b"_commit:", b"_src_path:")


def stable_answers(content: bytes) -> bytes:
    """An answers file without its volatile lines: what the template and answers decide."""
    return b"\n".join(
        line for line in content.split(b"\n") if not line.startswith(VOLATILE_ANSWERS)
    )


def render(answers: dict[str, Any], destination: Path, *, template: Path = TEMPLATE_ROOT) -> Path:
    """Render `template` with `answers` (defaults for the rest) into `destination`.

    The working tree of the template is used, uncommitted changes included, and
    the template's tasks run (they lock the project's dependencies with uv).

    Returns:
        The destination directory.

    Raises:
        KeelError: A task of the template failed (its own output says why).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DirtyLocalWarning)  # the working tree is wanted
        try:
            copier.run_copy(
                str(template),
                destination,
                data=answers,
                defaults=True,
                unsafe=True,
                quiet=True,
                vcs_ref="HEAD" if (template / ".git").exists() else None,
            )
        except TaskError as error:
            msg = (
                f"the template's task `{error.cmd}` failed in {destination} "
                f"(exit {error.returncode}; its output is above). If uv could not find "
                "the project's Python, install it or point uv at it (UV_PYTHON, or "
                "PYENV_VERSION listing it), then run the command again"
            )
            raise KeelError(msg) from error
    return destination
