"""Shared fixtures: the answer space, a PostgreSQL server, the default project rendered once."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from keel import space
from keel.database import psql
from keel.errors import KeelError
from keel.render import DEMO_ANSWERS, render

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture(scope="session")
def template() -> space.Template:
    """copier.yml, parsed."""
    return space.load()


@pytest.fixture(scope="session")
def server_database_url() -> str:
    """The PostgreSQL server of this machine (``DATABASE_URL``, default 127.0.0.1:5432).

    It must answer: a missing server fails the tests that need it, loudly.
    """
    url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    try:
        psql(url, "SELECT 1")
    except KeelError as error:
        pytest.fail(
            f"PostgreSQL is needed at {url} ({error}). Start it, e.g. "
            "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, "
            "or point DATABASE_URL at a running server.",
            pytrace=False,
        )
    return url


@pytest.fixture(scope="session")
def scratch() -> Iterator[Path]:
    """Where rendered projects live: outside pytest's temporary root.

    Each rendered project runs pytest sessions of its own, and every pytest
    session resets the permissions of pytest's temporary root when it starts;
    an embedded PostgreSQL run from a project's .venv as another user (as
    under root) must not have its binaries below that root.
    """
    with tempfile.TemporaryDirectory(prefix="keel-tests-") as directory:
        yield Path(directory)


@pytest.fixture(scope="session")
def default_project(scratch: Path) -> Path:
    """The default service (org-standard), rendered once per session."""
    return render(DEMO_ANSWERS, scratch / "default" / "demo-service")


RenderOnce = Callable[..., Path]


@pytest.fixture(scope="session")
def render_committed(scratch: Path) -> RenderOnce:
    """Render answers once per session into a git repository on a work branch.

    Projects live in git (secret scans list tracked files, hooks need a repo);
    the branch is not ``main`` because the hooks refuse commits to main.
    """
    projects: dict[tuple[tuple[str, Any], ...], Path] = {}

    def render_once(**answers: Any) -> Path:
        key = tuple(sorted(answers.items()))
        if key not in projects:
            destination = scratch / f"render-{len(projects)}" / "service"
            render({**DEMO_ANSWERS, **answers}, destination)
            for command in (
                ["git", "init", "--quiet", "--initial-branch", "work"],
                ["git", "add", "--all"],
                [
                    "git",
                    "-c",
                    "user.name=keel",
                    "-c",
                    "user.email=keel@example.com",
                    "commit",
                    "--quiet",
                    "--no-verify",
                    "--message",
                    "feat: render",
                ],
            ):
                subprocess.run(command, cwd=destination, check=True)
            projects[key] = destination
        return projects[key]

    return render_once
