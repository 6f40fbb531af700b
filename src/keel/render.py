"""Rendering one combination of answers with the real Copier API."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import copier
from copier.errors import DirtyLocalWarning

from keel.space import TEMPLATE_ROOT

DEMO_ANSWERS: dict[str, Any] = {"project_name": "Demo Service"}


def render(answers: dict[str, Any], destination: Path, *, template: Path = TEMPLATE_ROOT) -> Path:
    """Render `template` with `answers` (defaults for the rest) into `destination`.

    The working tree of the template is used, uncommitted changes included, and
    the template's tasks run (they lock the project's dependencies with uv).

    Returns:
        The destination directory.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DirtyLocalWarning)  # the working tree is wanted
        copier.run_copy(
            str(template),
            destination,
            data=answers,
            defaults=True,
            unsafe=True,
            quiet=True,
            vcs_ref="HEAD" if (template / ".git").exists() else None,
        )
    return destination
