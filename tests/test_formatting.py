"""The sweep formats rendered Python as the template's ruff tasks do."""

from __future__ import annotations

import pytest

from keel import formatting, space
from keel.errors import KeelError
from keel.fastrender import digest
from keel.lint import FileRef

PYPROJECT = b"""
[project]
name = "demo"
requires-python = ">=3.12"

[tool.ruff]
line-length = 88

[tool.ruff.lint.isort]
known-first-party = ["demo"]
"""


def test_the_tasks_drop_unused_imports_sort_and_format_under_the_projects_settings() -> None:
    rendered = (
        b"from demo.items import service\n"
        b"import os\n"
        b"from demo.cache import RedisCache\n"
        b"from demo.core import config\n\n"
        b"RETRYABLE = [502,503]\n"
        b"SETUP = (os.sep, config, service)\n"
    )
    ref = FileRef("src/demo/api.py", digest(rendered), "settings")
    tasks = formatting.ruff_tasks(space.load())

    changed = formatting.apply(tasks, [ref], {ref.digest: rendered}, {"settings": PYPROJECT})

    # demo.cache is not rendered here: its import goes, unused, with no error.
    assert changed[ref] == (
        b"import os\n\n"
        b"from demo.core import config\n"
        b"from demo.items import service\n\n"
        b"RETRYABLE = [502, 503]\n"
        b"SETUP = (os.sep, config, service)\n"
    )


def test_a_file_the_tasks_leave_alone_is_not_returned() -> None:
    formatted = b"import os\n\nPATH = os.sep\n"
    ref = FileRef("src/demo/paths.py", digest(formatted), "settings")
    tasks = formatting.ruff_tasks(space.load())

    assert formatting.apply(tasks, [ref], {ref.digest: formatted}, {"settings": PYPROJECT}) == {}


def test_a_ruff_version_other_than_keels_is_refused() -> None:
    template = space.parse(
        "_tasks:\n  - command: uvx ruff@0.0.1 format --quiet .\nproject_name:\n  type: str\n"
    )

    with pytest.raises(KeelError, match=r"tasks format with ruff 0\.0\.1 but keel has ruff"):
        formatting.ruff_tasks(template)
