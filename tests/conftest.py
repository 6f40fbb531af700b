"""Shared fixtures: the answer space, a PostgreSQL server, the default project rendered once.

Tests run on every core (pytest-xdist, ``--dist loadgroup``). Tests that share
a rendered project or an expensive module fixture go to one worker as an
``xdist_group``, so each answer set is rendered once per run; the longest
groups are handed out first, so the run ends when the last short test does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from plumbum import local
from pytest_copier import CopierFixture

from keel import space
from keel.database import psql
from keel.errors import KeelError
from keel.layout import TEMPLATE_PARTS
from keel.own import GateResult
from keel.render import DEMO_ANSWERS

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# The profile presets every other default: answers naming it are the same answer set.
DEFAULT_PROFILE = space.load().questions["profile"].default

# Where a group's tests start, longest first (measured: docs/testing.md).
GROUP_ORDER = ("sweep", "update", "default-project", "profile-", "delivery-")
SHARED_FIXTURES = {
    "full_sweep": "sweep",
    "sweep_cache": "sweep",
    "keel_history": "update",
    "updated": "update",
    "default_project": "default-project",
}


def _group(item: pytest.Item) -> str | None:
    """The xdist group of a test: the rendered project or module fixture it shares."""
    marked = item.get_closest_marker("xdist_group")
    if marked is not None:
        return str(marked.args[0])
    fixtures = getattr(item, "fixturenames", ())
    for fixture, group in SHARED_FIXTURES.items():
        if fixture in fixtures:
            return group
    if "render_committed" not in fixtures:
        return None
    params = getattr(getattr(item, "callspec", None), "params", {})
    if "profile" in params:
        return f"profile-{params['profile']}"
    for name in ("case", "docker_project"):
        if name in params:
            return f"delivery-{params[name]['ci']}"
    if "ci" in params:
        return f"delivery-{params['ci']}"
    return None


def _start_rank(item: pytest.Item) -> tuple[int, int]:
    group = _group(item) or ""
    ranks = [rank for rank, prefix in enumerate(GROUP_ORDER) if group.startswith(prefix)]
    full = item.get_closest_marker("full") is not None
    return (0 if full else 1, ranks[0] if ranks else len(GROUP_ORDER))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Where the time of the long tests went: the stages they recorded (``timings``).

    Tests record them with ``record_property("timings", {...})``; xdist sends
    them from its workers with the reports, so they print whatever ran where.
    """
    rows = [
        f"{report.nodeid}: {json.dumps(value)}"
        for outcome in ("passed", "failed")
        for report in terminalreporter.stats.get(outcome, [])
        for name, value in getattr(report, "user_properties", [])
        if name == "timings"
    ]
    if rows:
        terminalreporter.section("where the time went (seconds)")
        for row in sorted(rows):
            terminalreporter.line(row)


def gate_timings(result: GateResult) -> dict[str, float]:
    """Each step of a gate and its seconds, for ``record_property("timings", ...)``."""
    return {step.name: round(step.seconds, 1) for step in result.steps}


@pytest.hookimpl(tryfirst=True)  # before xdist's worker reads the groups into node IDs
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Group tests that share a render; hand out full tests, longest groups, first."""
    for item in items:
        group = _group(item)
        if group is not None and item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(group))
    items.sort(key=_start_rank)  # stable: collection order within a rank


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
    directory = Path(tempfile.mkdtemp(prefix="keel-tests-"))
    yield directory
    # Dozens of virtualenvs: deleting them takes each worker a minute or more
    # (seen: 38 to 79 s), so it finishes after pytest instead of before.
    subprocess.Popen(
        ["rm", "-rf", str(directory)],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.fixture(scope="session", autouse=True)
def shared_mypy_cache(scratch: Path, sessionpatch: pytest.MonkeyPatch) -> None:
    """One mypy cache for the rendered projects a worker type-checks.

    A cold mypy run re-analyses the same third-party packages (SQLAlchemy,
    Pydantic, Litestar) in every project: 15 to 30 s each. mypy validates each
    cached module by its content hash, so a project's own modules, which
    differ, are checked again, and nothing is taken on trust. One worker runs
    one mypy at a time; workers do not share the directory.
    """
    sessionpatch.setenv("MYPY_CACHE_DIR", str(scratch / "mypy-cache"))


# `uv lock` as the tests run it (every render's task, every update): from uv's
# cache first, from the registry when the cache lacks something.
CACHE_FIRST_UV = """#!/bin/sh
if [ "$1" = lock ]; then
    "{uv}" "$@" --offline 2>/dev/null && exit 0
fi
exec "{uv}" "$@"
"""


@pytest.fixture(scope="session", autouse=True)
def cache_first_uv_lock(scratch: Path, sessionpatch: pytest.MonkeyPatch) -> None:
    """Lock rendered projects from uv's cache when it holds what they need.

    The registry here sends index pages without ``Cache-Control``, so uv
    revalidates every page on every ``uv lock``: 5 s of waiting per render, and
    a run renders about a hundred times. ``--offline`` resolves against the
    pages uv already fetched (on a fresh machine, this run's); a lock that
    needs a page uv lacks fails offline and runs online. Other commands are
    uv's own.
    """
    uv = shutil.which("uv")
    if uv is None:
        pytest.fail("uv is needed: `python3 -m pip install uv`", pytrace=False)
    shim = scratch / "uv-shim"
    shim.mkdir()
    (shim / "uv").write_text(CACHE_FIRST_UV.format(uv=uv), encoding="utf-8")
    (shim / "uv").chmod(0o755)
    path = f"{shim}{os.pathsep}{os.environ['PATH']}"
    sessionpatch.setenv("PATH", path)
    # Copier runs its tasks in plumbum's copy of the environment, taken at import.
    sessionpatch.setitem(local.env, "PATH", path)


@pytest.fixture(scope="session")
def copier_template_paths() -> list[str]:
    """What pytest-copier's ``copier_template`` commits (and tags) as the template under test."""
    return list(TEMPLATE_PARTS)


@pytest.fixture
def copier_defaults() -> dict[str, Any]:
    """The answers pytest-copier's ``copier`` fixture gives along with each test's own."""
    return dict(DEMO_ANSWERS)


@pytest.fixture(scope="session")
def session_copier(copier_template: Path, sessionpatch: pytest.MonkeyPatch) -> CopierFixture:
    """pytest-copier's ``copier`` fixture, for renders shared by a whole session.

    Its ``copier`` fixture is per test; an expensive render (the tasks lock the
    project's dependencies) is made once per session and answer set instead.
    """
    return CopierFixture(template=copier_template, defaults=DEMO_ANSWERS, monkeypatch=sessionpatch)


@pytest.fixture(scope="session")
def default_project(scratch: Path, session_copier: CopierFixture) -> Path:
    """The default service (org-standard), rendered once per session."""
    return session_copier.copy(scratch / "default" / "demo-service").path


RenderOnce = Callable[..., Path]


@pytest.fixture(scope="session")
def render_committed(scratch: Path, session_copier: CopierFixture) -> RenderOnce:
    """Render answers once per session into a git repository on a work branch.

    Projects live in git (secret scans list tracked files, hooks need a repo);
    the branch is not ``main`` because the hooks refuse commits to main.
    """
    projects: dict[tuple[tuple[str, Any], ...], Path] = {}

    def render_once(**answers: Any) -> Path:
        key = tuple(sorted({"profile": DEFAULT_PROFILE, **answers}.items()))
        if key not in projects:
            destination = scratch / f"render-{len(projects)}" / "service"
            session_copier.copy(destination, **answers)
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
